import pg from 'pg';

export interface PostgresProbe {
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway owns no schema; it only asks PostgreSQL `SELECT 1` for `/readyz`. Two
 * connections suffice, and a hung server must not pin them past the probe's timeout.
 */
export function createPostgresProbe(databaseUrl: string, timeoutMs: number): PostgresProbe {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'coterie-gateway',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (PostgreSQL restarting) must not crash the process.
  pool.on('error', () => {});
  return {
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
