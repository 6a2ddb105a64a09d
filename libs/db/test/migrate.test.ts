import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testInfra, uniqueNamespace } from '@coterie/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, migrate, type Pool, withTransaction } from '../src/index.ts';

describe('migrate', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const schema = `${uniqueNamespace('db')}_svc`;
    const dir = await mkdtemp(join(tmpdir(), 'coterie-migrations-'));
    const pools: Pool[] = [];
    const pool = () => {
      const p = createPool({ connectionString: testInfra().databaseUrl, schema });
      pools.push(p);
      return p;
    };
    cleanups.push(async () => {
      await pools[0]?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
      await rm(dir, { recursive: true, force: true });
    });
    await writeFile(
      join(dir, '001_accounts.sql'),
      'CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL);',
    );
    await writeFile(join(dir, '002_seed.sql'), 'INSERT INTO accounts VALUES (1, 9007199254740993);');
    return { schema, dir, pool };
  }

  it('applies pending files once, in order, into the service schema', async () => {
    const { schema, dir, pool } = await setup();
    const p = pool();
    expect((await migrate(p, schema, [{ component: 'service', dir }])).map((m) => m.version)).toEqual([1, 2]);
    expect(await migrate(p, schema, [{ component: 'service', dir }])).toEqual([]);
    // search_path is the schema, and int8 stays exact (a string, not a rounded float).
    const { rows } = await p.query('SELECT balance FROM accounts');
    expect(rows).toEqual([{ balance: '9007199254740993' }]);
  });

  it('migrates once when replicas start together (advisory lock)', async () => {
    const { schema, dir, pool } = await setup();
    const results = await Promise.all(
      [1, 2, 3].map(() => migrate(pool(), schema, [{ component: 'service', dir }])),
    );
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, 2]);
  });

  it('refuses a migration that changed after it was applied', async () => {
    const { schema, dir, pool } = await setup();
    const p = pool();
    await migrate(p, schema, [{ component: 'service', dir }]);
    await writeFile(join(dir, '002_seed.sql'), 'INSERT INTO accounts VALUES (2, 1);');
    await expect(migrate(p, schema, [{ component: 'service', dir }])).rejects.toThrow(
      /changed after it was applied/,
    );
  });

  it('rolls back a failed migration and a failed transaction', async () => {
    const { schema, dir, pool } = await setup();
    const p = pool();
    await writeFile(join(dir, '003_broken.sql'), 'CREATE TABLE half (id int); SELECT * FROM missing_table;');
    await expect(migrate(p, schema, [{ component: 'service', dir }])).rejects.toThrow(/003_broken/);
    expect((await p.query("SELECT to_regclass('half') AS t")).rows[0]).toEqual({ t: null });
    await expect(
      withTransaction(p, async (client) => {
        await client.query('UPDATE accounts SET balance = 0');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await p.query('SELECT balance FROM accounts')).rows).toEqual([{ balance: '9007199254740993' }]);
  });
});
