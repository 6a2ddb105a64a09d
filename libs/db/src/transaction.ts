import type { Pool, PoolClient } from './pool.ts';

/**
 * Runs `fn` in one transaction: COMMIT if it resolves, ROLLBACK if it throws.
 * The domain rows, the outbox row and the inbox claim of a handler all go through here.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
