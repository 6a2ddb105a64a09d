import type { Queryable } from '@coterie/db';

export type ChallengePurpose = 'sign-in' | 'link';

export interface ChallengeRow {
  id: string;
  email: string;
  purpose: ChallengePurpose;
  member_id: string | null;
  code_hash: Buffer;
  attempts: number;
  expires_at: Date;
}

export async function insertChallenge(
  db: Queryable,
  c: {
    id: string;
    email: string;
    purpose: ChallengePurpose;
    memberId: string | null;
    codeHash: Buffer;
    linkTokenHash: Buffer | null;
    expiresAt: Date;
    ip: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO email_challenges (id, email, purpose, member_id, code_hash, link_token_hash, expires_at, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.id, c.email, c.purpose, c.memberId, c.codeHash, c.linkTokenHash, c.expiresAt, c.ip],
  );
}

export async function countRecentChallenges(
  db: Queryable,
  by: { email: string } | { ip: string },
  since: Date,
): Promise<number> {
  const [column, value] = 'email' in by ? ['email', by.email] : ['ip', by.ip];
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM email_challenges WHERE ${column} = $1 AND created_at > $2`,
    [value, since],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The newest open challenge for this email and purpose, locked for the attempt being made. */
export async function lockOpenChallenge(
  db: Queryable,
  email: string,
  purpose: ChallengePurpose,
  now: Date,
  memberId?: string,
): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    `SELECT id, email, purpose, member_id, code_hash, attempts, expires_at FROM email_challenges
     WHERE email = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $3
       AND ($4::uuid IS NULL OR member_id = $4)
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [email, purpose, now, memberId ?? null],
  );
  return rows[0];
}

export async function lockChallengeByLinkToken(
  db: Queryable,
  linkTokenHash: Buffer,
  now: Date,
): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    `SELECT id, email, purpose, member_id, code_hash, attempts, expires_at FROM email_challenges
     WHERE link_token_hash = $1 AND consumed_at IS NULL AND expires_at > $2 FOR UPDATE`,
    [linkTokenHash, now],
  );
  return rows[0];
}

export async function recordFailedAttempt(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ attempts: number }>(
    'UPDATE email_challenges SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts',
    [id],
  );
  return rows[0]?.attempts ?? 0;
}

export async function consumeChallenge(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE email_challenges SET consumed_at = $2 WHERE id = $1', [id, now]);
}
