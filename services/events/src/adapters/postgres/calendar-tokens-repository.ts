import type { Queryable } from '@coterie/db';

export async function replaceCalendarToken(
  db: Queryable,
  memberId: string,
  hash: Buffer,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO calendar_tokens (member_id, token_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (member_id) DO UPDATE SET token_hash = $2, created_at = $3`,
    [memberId, hash, at],
  );
}

export async function deleteCalendarToken(db: Queryable, memberId: string): Promise<void> {
  await db.query('DELETE FROM calendar_tokens WHERE member_id = $1', [memberId]);
}

export async function memberByCalendarToken(db: Queryable, hash: Buffer): Promise<string | undefined> {
  const { rows } = await db.query<{ member_id: string }>(
    'SELECT member_id FROM calendar_tokens WHERE token_hash = $1',
    [hash],
  );
  return rows[0]?.member_id;
}
