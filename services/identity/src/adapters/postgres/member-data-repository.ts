import type { IdentityMemberData } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

/** Everything identity holds about a member, for the member: no token hashes, codes or links. */
export async function readMemberData(
  db: Queryable,
  memberId: string,
): Promise<IdentityMemberData | undefined> {
  const { rows } = await db.query<{
    id: string;
    display_name: string | null;
    bio: string | null;
    avatar_url: string | null;
    created_at: Date;
    erased_at: Date | null;
  }>('SELECT id, display_name, bio, avatar_url, created_at, erased_at FROM members WHERE id = $1', [
    memberId,
  ]);
  const member = rows[0];
  if (!member) return undefined;
  const [wallets, emails, sessions] = await Promise.all([
    db.query<{ address: string; linked_at: Date }>(
      'SELECT address, linked_at FROM wallets WHERE member_id = $1 ORDER BY linked_at, address',
      [memberId],
    ),
    db.query<{ email: string; verified_at: Date }>(
      'SELECT email, verified_at FROM emails WHERE member_id = $1 ORDER BY verified_at, email',
      [memberId],
    ),
    db.query<{
      id: string;
      method: string;
      created_at: Date;
      last_seen_at: Date;
      expires_at: Date;
      revoked_at: Date | null;
      ip: string | null;
      user_agent: string | null;
    }>(
      `SELECT id, method, created_at, last_seen_at, expires_at, revoked_at, ip, user_agent
       FROM sessions WHERE member_id = $1 ORDER BY created_at, id`,
      [memberId],
    ),
  ]);
  return {
    member: {
      id: member.id,
      displayName: member.display_name,
      bio: member.bio,
      avatarUrl: member.avatar_url,
      createdAt: member.created_at.toISOString(),
      erasedAt: member.erased_at?.toISOString() ?? null,
    },
    wallets: wallets.rows.map((w) => ({ address: w.address, linkedAt: w.linked_at.toISOString() })),
    emails: emails.rows.map((e) => ({ email: e.email, verifiedAt: e.verified_at.toISOString() })),
    sessions: sessions.rows.map((s) => ({
      id: s.id,
      method: s.method,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      expiresAt: s.expires_at.toISOString(),
      revokedAt: s.revoked_at?.toISOString() ?? null,
      ip: s.ip,
      userAgent: s.user_agent,
    })),
  };
}

/** Locks the member row for an erasure; undefined when there is no such member. */
export async function lockMemberForErasure(
  db: Queryable,
  memberId: string,
): Promise<{ erasedAt: Date | null } | undefined> {
  const { rows } = await db.query<{ erased_at: Date | null }>(
    'SELECT erased_at FROM members WHERE id = $1 FOR UPDATE',
    [memberId],
  );
  const row = rows[0];
  return row ? { erasedAt: row.erased_at } : undefined;
}

export interface ErasedRows {
  wallets: string[];
  emails: string[];
  /** Sessions that were live and are now revoked. */
  revokedSessionIds: string[];
}

/**
 * Pseudonymises the member in the caller's transaction: profile replaced, wallets and emails
 * unlinked (so they may sign up again as someone new), pending email challenges dropped, every
 * session revoked and stripped of its IP and user agent. The row and the session rows stay, so
 * nothing that points at the id breaks.
 */
export async function eraseMemberRows(
  db: Queryable,
  memberId: string,
  erasedAt: Date,
  pseudonym: string,
): Promise<ErasedRows> {
  const wallets = await db.query<{ address: string }>(
    'DELETE FROM wallets WHERE member_id = $1 RETURNING address',
    [memberId],
  );
  const emails = await db.query<{ email: string }>(
    'DELETE FROM emails WHERE member_id = $1 RETURNING email',
    [memberId],
  );
  await db.query('DELETE FROM email_challenges WHERE member_id = $1 OR email = ANY($2::text[])', [
    memberId,
    emails.rows.map((e) => e.email),
  ]);
  const revoked = await db.query<{ id: string }>(
    `UPDATE sessions SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL RETURNING id`,
    [memberId, erasedAt],
  );
  await db.query('UPDATE sessions SET ip = NULL, user_agent = NULL WHERE member_id = $1', [memberId]);
  await db.query(
    'UPDATE members SET display_name = $2, bio = NULL, avatar_url = NULL, erased_at = $3 WHERE id = $1',
    [memberId, pseudonym, erasedAt],
  );
  return {
    wallets: wallets.rows.map((w) => w.address),
    emails: emails.rows.map((e) => e.email),
    revokedSessionIds: revoked.rows.map((r) => r.id),
  };
}
