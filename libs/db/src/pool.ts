import { createHash } from 'node:crypto';
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
    prepareParameterizedStatements(client);
  });
  return pool;
}

/**
 * Every parameterized statement runs as a named prepared statement on its connection:
 * PostgreSQL parses and plans it once per connection instead of on every call, which was most
 * of its CPU on the hot write paths (consumers run the same ten statements per event). Names
 * are digests of the text, so one text is one statement; statements without parameters
 * (BEGIN, COMMIT, DDL) keep the simple protocol. Behind PgBouncer in transaction mode this
 * needs `max_prepared_statements` (PgBouncer ≥ 1.21).
 */
function prepareParameterizedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0) {
      return query(config, values, callback);
    }
    let name = names.get(config);
    if (name === undefined) {
      name = `c${createHash('sha1').update(config).digest('base64url')}`;
      names.set(config, name);
    }
    return query({ name, text: config, values }, callback);
  };
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
