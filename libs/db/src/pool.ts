import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Anything that runs a query: the pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

// bigint columns (int8) and numeric come back as strings: money and votes stay exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface CreatePoolOptions {
  connectionString: string;
  /** Every connection's `search_path`: the service's own schema, so SQL names tables plainly. */
  schema: string;
  max?: number;
  applicationName?: string;
}

export function createPool(options: CreatePoolOptions): Pool {
  assertIdentifier(options.schema);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? options.schema,
    options: `-c search_path=${options.schema}`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (PostgreSQL restarting) must not crash the process;
  // the pool discards it and the next query reconnects.
  pool.on('error', () => {});
  // pg-pool listens for errors only while a client is idle. A checked-out client (inside
  // `withTransaction`, between two of its queries) whose server goes away emits 'error' with no
  // listener, which kills the process. Its pending and next queries fail anyway, and the pool
  // discards it on release (it is no longer queryable), so the event itself needs no handling.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/** `<namespace>_<service>` or `<service>`: each service owns exactly one schema. */
export function schemaNameFor(service: string, namespace?: string): string {
  const name = namespace ? `${namespace}_${service}` : service;
  assertIdentifier(name);
  return name;
}

export function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
}
