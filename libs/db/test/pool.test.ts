import { testInfra, uniqueNamespace } from '@coterie/testing';
import { describe, expect, it } from 'vitest';
import { createPool, withTransaction } from '../src/index.ts';

describe('createPool', () => {
  it('survives the server ending a checked-out connection between two queries (PostgreSQL restarting)', async () => {
    const pool = createPool({
      connectionString: testInfra().databaseUrl,
      schema: `${uniqueNamespace('db')}_svc`,
    });
    const admin = createPool({ connectionString: testInfra().databaseUrl, schema: 'public' });
    try {
      // Inside a transaction, between its queries, the server terminates the session (as a fast
      // shutdown does). Without a listener the client's 'error' event would kill the process.
      const failed = await withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await new Promise((r) => setTimeout(r, 200));
        return client.query('SELECT 1').then(
          () => false,
          () => true,
        );
      }).catch(() => true);
      expect(failed).toBe(true);
      // The broken connection was discarded: the next query gets a fresh one.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await Promise.all([pool.end(), admin.end()]);
    }
  });
});
