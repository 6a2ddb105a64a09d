import {
  type ProposalType,
  type Quorum,
  quorumSchema,
  type Strategy,
  strategySchema,
  type Tally,
} from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

/** A stored proposal, before the live parts (status, tally, myVote) are added. */
export interface ProposalRecord {
  id: string;
  communityId: string;
  title: string;
  body: string;
  choices: string[];
  type: ProposalType;
  startsAt: Date;
  endsAt: Date;
  quorum: Quorum;
  quorumRequired: bigint;
  strategy: Strategy;
  chainId: number;
  snapshotBlock: bigint;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
  finalTally: Tally | null;
}

interface ProposalRow {
  id: string;
  community_id: string;
  title: string;
  body: string;
  choices: string[];
  type: ProposalType;
  starts_at: Date;
  ends_at: Date;
  quorum: unknown;
  quorum_required: string;
  strategy: unknown;
  chain_id: number;
  snapshot_block: string;
  created_by: string;
  created_at: Date;
  closed_at: Date | null;
  final_tally: Tally | null;
}

const COLUMNS = `id, community_id, title, body, choices, type, starts_at, ends_at, quorum, quorum_required,
  strategy, chain_id, snapshot_block, created_by, created_at, closed_at, final_tally`;

function toRecord(row: ProposalRow): ProposalRecord {
  return {
    id: row.id,
    communityId: row.community_id,
    title: row.title,
    body: row.body,
    choices: row.choices,
    type: row.type,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    quorum: quorumSchema.parse(row.quorum),
    quorumRequired: BigInt(row.quorum_required),
    strategy: strategySchema.parse(row.strategy),
    chainId: row.chain_id,
    snapshotBlock: BigInt(row.snapshot_block),
    createdBy: row.created_by,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    finalTally: row.final_tally,
  };
}

export async function insertProposal(
  db: Queryable,
  p: Omit<ProposalRecord, 'closedAt' | 'finalTally'>,
): Promise<void> {
  await db.query(
    `INSERT INTO proposals (id, community_id, title, body, choices, type, starts_at, ends_at, quorum,
       quorum_required, strategy, chain_id, snapshot_block, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      p.id,
      p.communityId,
      p.title,
      p.body,
      JSON.stringify(p.choices),
      p.type,
      p.startsAt,
      p.endsAt,
      JSON.stringify(p.quorum),
      p.quorumRequired.toString(),
      JSON.stringify(p.strategy),
      p.chainId,
      p.snapshotBlock.toString(),
      p.createdBy,
      p.createdAt,
    ],
  );
}

/** `lock: 'share'` holds off the closer until the caller's transaction ends (a vote racing the close). */
export async function findProposal(
  db: Queryable,
  communityId: string,
  id: string,
  lock?: 'share',
): Promise<ProposalRecord | undefined> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${COLUMNS} FROM proposals WHERE id = $1 AND community_id = $2${lock ? ' FOR SHARE' : ''}`,
    [id, communityId],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export interface ProposalPageQuery {
  communityId: string;
  /** Filter by status at `now`. */
  status?: 'pending' | 'active' | 'closed';
  now: Date;
  limit: number;
  /** Keyset: rows strictly after (createdAt, id) in newest-first order. */
  after?: { createdAt: Date; id: string };
}

/** Newest first. */
export async function listProposalRecords(db: Queryable, q: ProposalPageQuery): Promise<ProposalRecord[]> {
  const where = ['community_id = $1'];
  const values: unknown[] = [q.communityId];
  if (q.status) {
    values.push(q.now);
    const now = `$${values.length}`;
    where.push(
      q.status === 'closed'
        ? `(closed_at IS NOT NULL OR ends_at <= ${now})`
        : q.status === 'pending'
          ? `(closed_at IS NULL AND starts_at > ${now})`
          : `(closed_at IS NULL AND starts_at <= ${now} AND ends_at > ${now})`,
    );
  }
  if (q.after) {
    values.push(q.after.createdAt, q.after.id);
    where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(q.limit);
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${COLUMNS} FROM proposals WHERE ${where.join(' AND ')}
     ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map(toRecord);
}

/** Proposals past their end and not yet closed, locked for this transaction; replicas skip each other's. */
export async function lockDueProposals(db: Queryable, now: Date, limit: number): Promise<ProposalRecord[]> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${COLUMNS} FROM proposals WHERE closed_at IS NULL AND ends_at <= $1
     ORDER BY ends_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map(toRecord);
}

export async function markClosed(
  db: Queryable,
  id: string,
  closedAt: Date,
  finalTally: Tally,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE proposals SET closed_at = $2, final_tally = $3 WHERE id = $1 AND closed_at IS NULL',
    [id, closedAt, JSON.stringify(finalTally)],
  );
  return rowCount === 1;
}
