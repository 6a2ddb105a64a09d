import { type Gate, gateSchema, type Perk, type Tier, type TierPrice } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import type { GatedTier } from '../../domain/gates/index.ts';

interface TierRow {
  id: string;
  community_id: string;
  name: string;
  description: string;
  rank: number;
  perks: Perk[];
  gate: unknown;
  price_amount: string | null;
  price_currency: string | null;
  price_interval: 'month' | 'year' | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, community_id, name, description, rank, perks, gate, price_amount, price_currency, price_interval, created_at, updated_at';

function toTier(row: TierRow): Tier {
  return {
    id: row.id,
    communityId: row.community_id,
    name: row.name,
    description: row.description,
    rank: row.rank,
    perks: row.perks,
    price:
      row.price_amount !== null && row.price_currency !== null && row.price_interval !== null
        ? { value: row.price_amount, currency: row.price_currency, interval: row.price_interval }
        : null,
    // Stored gates were validated on write; parsing again keeps the type honest if a row was edited by hand.
    gate: gateSchema.parse(row.gate),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewTier {
  id: string;
  communityId: string;
  name: string;
  description: string;
  rank: number;
  perks: Perk[];
  price?: TierPrice | undefined;
  gate: Gate;
}

/** Throws PostgreSQL's unique violation on `tiers_community_id_rank_key` when the rank is taken. */
export async function insertTier(q: Queryable, t: NewTier): Promise<Tier> {
  const { rows } = await q.query<TierRow>(
    `INSERT INTO tiers (id, community_id, name, description, rank, perks, gate, price_amount, price_currency, price_interval)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      t.id,
      t.communityId,
      t.name,
      t.description,
      t.rank,
      JSON.stringify(t.perks),
      JSON.stringify(t.gate),
      t.price?.value ?? null,
      t.price?.currency ?? null,
      t.price?.interval ?? null,
    ],
  );
  return toTier(rows[0] as TierRow);
}

export async function listTiers(q: Queryable, communityId: string): Promise<Tier[]> {
  const { rows } = await q.query<TierRow>(
    `SELECT ${COLUMNS} FROM tiers WHERE community_id = $1 ORDER BY rank`,
    [communityId],
  );
  return rows.map(toTier);
}

/** The gated tiers of several communities at once (one query for a whole re-verification batch). */
export async function gatedTiersOf(
  q: Queryable,
  communityIds: readonly string[],
): Promise<Map<string, GatedTier[]>> {
  const byCommunity = new Map<string, GatedTier[]>(communityIds.map((id) => [id, []]));
  if (communityIds.length === 0) return byCommunity;
  const { rows } = await q.query<TierRow>(
    `SELECT ${COLUMNS} FROM tiers WHERE community_id = ANY($1::uuid[])`,
    [communityIds],
  );
  for (const row of rows) {
    const tier = toTier(row);
    byCommunity
      .get(row.community_id)
      ?.push({ id: tier.id, name: tier.name, rank: tier.rank, gate: tier.gate });
  }
  return byCommunity;
}

/** Communities that have at least one tier: where a new wallet could change a membership. */
export async function communitiesWithTiers(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ community_id: string }>('SELECT DISTINCT community_id FROM tiers');
  return rows.map((r) => r.community_id);
}
