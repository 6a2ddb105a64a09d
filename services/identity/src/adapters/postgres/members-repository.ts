import type { Member } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

interface MemberRow {
  id: string;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
  created_at: Date;
  wallets: string[];
  emails: string[];
}

const SELECT_MEMBERS = `
  SELECT m.id, m.display_name, m.bio, m.avatar_url, m.created_at,
    COALESCE((SELECT array_agg(w.address ORDER BY w.linked_at, w.address) FROM wallets w WHERE w.member_id = m.id), '{}') AS wallets,
    COALESCE((SELECT array_agg(e.email ORDER BY e.verified_at, e.email) FROM emails e WHERE e.member_id = m.id), '{}') AS emails
  FROM members m`;

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    wallets: row.wallets,
    emails: row.emails,
    createdAt: row.created_at.toISOString(),
  };
}

export async function findMembers(db: Queryable, ids: readonly string[]): Promise<Member[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<MemberRow>(
    `${SELECT_MEMBERS} WHERE m.id = ANY($1::uuid[]) ORDER BY m.created_at`,
    [ids],
  );
  return rows.map(toMember);
}

export async function findMember(db: Queryable, id: string): Promise<Member | undefined> {
  return (await findMembers(db, [id]))[0];
}

export async function insertMember(db: Queryable, id: string): Promise<void> {
  await db.query('INSERT INTO members (id) VALUES ($1)', [id]);
}

export async function updateMemberProfile(
  db: Queryable,
  id: string,
  patch: { displayName?: string | null; bio?: string | null; avatarUrl?: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE members SET
       display_name = CASE WHEN $2 THEN $3 ELSE display_name END,
       bio = CASE WHEN $4 THEN $5 ELSE bio END,
       avatar_url = CASE WHEN $6 THEN $7 ELSE avatar_url END
     WHERE id = $1`,
    [
      id,
      patch.displayName !== undefined,
      patch.displayName ?? null,
      patch.bio !== undefined,
      patch.bio ?? null,
      patch.avatarUrl !== undefined,
      patch.avatarUrl ?? null,
    ],
  );
  return rowCount === 1;
}

/** The member owning `address` (checksummed), locking the row against a concurrent link. */
export async function memberIdByWallet(db: Queryable, address: string): Promise<string | undefined> {
  const { rows } = await db.query<{ member_id: string }>('SELECT member_id FROM wallets WHERE address = $1', [
    address,
  ]);
  return rows[0]?.member_id;
}

export async function memberIdByEmail(db: Queryable, email: string): Promise<string | undefined> {
  const { rows } = await db.query<{ member_id: string }>('SELECT member_id FROM emails WHERE email = $1', [
    email,
  ]);
  return rows[0]?.member_id;
}

/** Links `address` to `memberId`; returns the owner after the statement (another member if taken). */
export async function linkWalletRow(db: Queryable, memberId: string, address: string): Promise<string> {
  await db.query(
    'INSERT INTO wallets (address, member_id) VALUES ($1, $2) ON CONFLICT (address) DO NOTHING',
    [address, memberId],
  );
  return (await memberIdByWallet(db, address)) as string;
}

export async function linkEmailRow(db: Queryable, memberId: string, email: string): Promise<string> {
  await db.query('INSERT INTO emails (email, member_id) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING', [
    email,
    memberId,
  ]);
  return (await memberIdByEmail(db, email)) as string;
}
