import type { Queryable } from '@coterie/db';

export interface SessionRow {
  id: string;
  member_id: string;
  expires_at: Date;
  last_seen_at: Date;
}

export async function insertSession(
  db: Queryable,
  session: {
    id: string;
    memberId: string;
    tokenHash: Buffer;
    method: string;
    expiresAt: Date;
    ip?: string | undefined;
    userAgent?: string | undefined;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, member_id, token_hash, method, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      session.id,
      session.memberId,
      session.tokenHash,
      session.method,
      session.expiresAt,
      session.ip ?? null,
      session.userAgent ?? null,
    ],
  );
}

/** A live session: not revoked, before its absolute expiry, and used within the idle window. */
export async function findLiveSession(
  db: Queryable,
  tokenHash: Buffer,
  now: Date,
  idleTtlMs: number,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT id, member_id, expires_at, last_seen_at FROM sessions
     WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2
       AND last_seen_at > $2::timestamptz - make_interval(secs => $3::double precision / 1000)`,
    [tokenHash, now, idleTtlMs],
  );
  return rows[0];
}

export async function touchSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [id, now]);
}

export async function revokeSessionByToken(
  db: Queryable,
  tokenHash: Buffer,
): Promise<{ id: string; member_id: string } | undefined> {
  const { rows } = await db.query<{ id: string; member_id: string }>(
    'UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, member_id',
    [tokenHash],
  );
  return rows[0];
}

export async function revokeAllSessions(db: Queryable, memberId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'UPDATE sessions SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL RETURNING id',
    [memberId],
  );
  return rows.map((r) => r.id);
}
