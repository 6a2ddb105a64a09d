import type { Queryable } from '@coterie/db';

export async function insertNonce(db: Queryable, nonce: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO siwe_nonces (nonce, expires_at) VALUES ($1, $2)', [nonce, expiresAt]);
  // Expired nonces are useless; sweeping a few on each issue keeps the table small.
  await db.query(
    `DELETE FROM siwe_nonces WHERE nonce IN (
       SELECT nonce FROM siwe_nonces WHERE expires_at < now() - interval '1 day' LIMIT 100)`,
  );
}

export async function isNonceUsable(db: Queryable, nonce: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM siwe_nonces WHERE nonce = $1 AND consumed_at IS NULL AND expires_at > $2',
    [nonce, now],
  );
  return rowCount === 1;
}

/** Atomically consumes the nonce; false if it was consumed meanwhile (a replay racing us) or expired. */
export async function consumeNonce(db: Queryable, nonce: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE siwe_nonces SET consumed_at = $2 WHERE nonce = $1 AND consumed_at IS NULL AND expires_at > $2',
    [nonce, now],
  );
  return rowCount === 1;
}
