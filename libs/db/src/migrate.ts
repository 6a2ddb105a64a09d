import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertIdentifier, type Pool } from './pool.ts';

export interface MigrationSource {
  /** Who owns these files: `service`, or a library such as `messaging`. Versions count per component. */
  component: string;
  /** Folder of `NNN_name.sql` files. */
  dir: string;
}

export interface AppliedMigration {
  component: string;
  version: number;
  name: string;
}

interface MigrationFile extends AppliedMigration {
  sql: string;
  checksum: string;
}

/**
 * Creates `schema` if needed and applies pending migrations, each in its own transaction,
 * under an advisory lock so replicas starting together migrate once. An applied file that
 * changed afterwards is an error: migrations are append-only.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  sources: MigrationSource[],
): Promise<AppliedMigration[]> {
  assertIdentifier(schema);
  const files = (await Promise.all(sources.map(readMigrationFiles))).flat();
  const client = await pool.connect();
  const applied: AppliedMigration[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`coterie:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await client.query<{ component: string; version: number; checksum: string }>(
      `SELECT component, version, checksum FROM ${schema}.schema_migrations`,
    );
    const done = new Map(rows.map((r) => [`${r.component}:${r.version}`, r.checksum]));
    for (const file of files) {
      const key = `${file.component}:${file.version}`;
      const checksum = done.get(key);
      if (checksum !== undefined) {
        if (checksum !== file.checksum) {
          throw new Error(
            `Migration ${file.component}/${file.name} changed after it was applied to ${schema}`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(file.sql);
        await client.query(
          `INSERT INTO ${schema}.schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)`,
          [file.component, file.version, file.name, file.checksum],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(
          `Migration ${file.component}/${file.name} failed on ${schema}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      applied.push({ component: file.component, version: file.version, name: file.name });
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`coterie:migrate:${schema}`])
      .catch(() => {});
    client.release();
  }
  return applied;
}

async function readMigrationFiles(source: MigrationSource): Promise<MigrationFile[]> {
  const names = (await readdir(source.dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  const seen = new Set<number>();
  for (const name of names) {
    const match = /^(\d+)_[a-z0-9_-]+\.sql$/.exec(name);
    if (!match) throw new Error(`Migration file name must be NNN_name.sql: ${source.dir}/${name}`);
    const version = Number(match[1]);
    if (seen.has(version)) throw new Error(`Two migrations numbered ${version} in ${source.dir}`);
    seen.add(version);
    const sql = await readFile(join(source.dir, name), 'utf8');
    files.push({
      component: source.component,
      version,
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return files;
}
