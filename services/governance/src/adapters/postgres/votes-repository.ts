import { type VoteTypedData, voteTypedDataSchema } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

export interface VoteRecord {
  proposalId: string;
  voter: string;
  memberId: string | null;
  choice: string;
  reason: string;
  /** The signed message's timestamp (Unix seconds). */
  signedAt: number;
  power: bigint;
  typedData: VoteTypedData;
  signature: string;
  signatureHash: Buffer;
  castAt: Date;
}

interface VoteRow {
  proposal_id: string;
  voter: string;
  member_id: string | null;
  choice: string;
  reason: string;
  signed_at: string;
  power: string;
  typed_data: unknown;
  signature: string;
  signature_hash: Buffer;
  cast_at: Date;
}

const COLUMNS =
  'proposal_id, voter, member_id, choice, reason, signed_at, power, typed_data, signature, signature_hash, cast_at';

function toRecord(row: VoteRow): VoteRecord {
  return {
    proposalId: row.proposal_id,
    voter: row.voter,
    memberId: row.member_id,
    choice: row.choice,
    reason: row.reason,
    signedAt: Number(row.signed_at),
    power: BigInt(row.power),
    typedData: voteTypedDataSchema.parse(row.typed_data),
    signature: row.signature,
    signatureHash: row.signature_hash,
    castAt: row.cast_at,
  };
}

/** What the tally needs, for several proposals at once. */
export async function findCountedVotes(
  db: Queryable,
  proposalIds: readonly string[],
): Promise<{ proposalId: string; choice: string; power: bigint }[]> {
  if (proposalIds.length === 0) return [];
  const { rows } = await db.query<{ proposal_id: string; choice: string; power: string }>(
    'SELECT proposal_id, choice, power FROM votes WHERE proposal_id = ANY($1::uuid[])',
    [proposalIds],
  );
  return rows.map((r) => ({ proposalId: r.proposal_id, choice: r.choice, power: BigInt(r.power) }));
}

export async function findVotesOf(
  db: Queryable,
  proposalIds: readonly string[],
  voters: readonly string[],
): Promise<VoteRecord[]> {
  if (proposalIds.length === 0 || voters.length === 0) return [];
  const { rows } = await db.query<VoteRow>(
    `SELECT ${COLUMNS} FROM votes WHERE proposal_id = ANY($1::uuid[]) AND voter = ANY($2::text[])
     ORDER BY signed_at DESC`,
    [proposalIds, voters],
  );
  return rows.map(toRecord);
}

export async function findVoteBySignature(
  db: Queryable,
  proposalId: string,
  signatureHash: Buffer,
): Promise<VoteRecord | undefined> {
  const { rows } = await db.query<VoteRow>(
    `SELECT ${COLUMNS} FROM votes WHERE proposal_id = $1 AND signature_hash = $2`,
    [proposalId, signatureHash],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Every stored vote of the member on the proposal, locked (tier-member: one vote per member). */
export async function lockMemberVotes(
  db: Queryable,
  proposalId: string,
  memberId: string,
): Promise<VoteRecord[]> {
  const { rows } = await db.query<VoteRow>(
    `SELECT ${COLUMNS} FROM votes WHERE proposal_id = $1 AND member_id = $2 FOR UPDATE`,
    [proposalId, memberId],
  );
  return rows.map(toRecord);
}

export async function deleteVote(db: Queryable, proposalId: string, voter: string): Promise<void> {
  await db.query('DELETE FROM votes WHERE proposal_id = $1 AND voter = $2', [proposalId, voter]);
}

/**
 * Stores the vote unless the voter already has one with an equal or later timestamp.
 * Returns `created`, `replaced`, or `kept` (the stored vote is at least as new: nothing written).
 */
export async function upsertVote(
  db: Queryable,
  vote: Omit<VoteRecord, 'castAt'> & { castAt: Date },
): Promise<'created' | 'replaced' | 'kept'> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO votes (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (proposal_id, voter) DO UPDATE SET
       member_id = EXCLUDED.member_id, choice = EXCLUDED.choice, reason = EXCLUDED.reason,
       signed_at = EXCLUDED.signed_at, power = EXCLUDED.power, typed_data = EXCLUDED.typed_data,
       signature = EXCLUDED.signature, signature_hash = EXCLUDED.signature_hash, cast_at = EXCLUDED.cast_at
     WHERE votes.signed_at < EXCLUDED.signed_at
     RETURNING (xmax = 0) AS inserted`,
    [
      vote.proposalId,
      vote.voter,
      vote.memberId,
      vote.choice,
      vote.reason,
      vote.signedAt,
      vote.power.toString(),
      JSON.stringify(vote.typedData),
      vote.signature,
      vote.signatureHash,
      vote.castAt,
    ],
  );
  const row = rows[0];
  if (!row) return 'kept';
  return row.inserted ? 'created' : 'replaced';
}

/** Ordered by voter address; keyset after `afterVoter`. */
export async function listVotePage(
  db: Queryable,
  proposalId: string,
  limit: number,
  afterVoter?: string,
): Promise<VoteRecord[]> {
  const { rows } = await db.query<VoteRow>(
    `SELECT ${COLUMNS} FROM votes WHERE proposal_id = $1 AND ($2::text IS NULL OR voter > $2)
     ORDER BY voter LIMIT $3`,
    [proposalId, afterVoter ?? null, limit],
  );
  return rows.map(toRecord);
}
