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

/** By rank; after `afterId`, the tiers ranked above that one (none when it is gone). */
export async function listTiers(
  q: Queryable,
  communityId: string,
  page: { limit: number; afterId?: string | undefined },
): Promise<Tier[]> {
  const { rows } = await q.query<TierRow>(
    `SELECT ${COLUMNS} FROM tiers
     WHERE community_id = $1
       AND ($2::uuid IS NULL OR rank > (SELECT rank FROM tiers WHERE community_id = $1 AND id = $2))
     ORDER BY rank LIMIT $3`,
    [communityId, page.afterId ?? null, page.limit],
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

export interface TierRecord extends Tier {
  stripeProductId: string | null;
  stripePriceId: string | null;
}

/** One tier of one community (never another community's), with its Stripe ids. */
export async function findTier(
  q: Queryable,
  communityId: string,
  tierId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TierRecord | undefined> {
  const { rows } = await q.query<
    TierRow & { stripe_product_id: string | null; stripe_price_id: string | null }
  >(
    `SELECT ${COLUMNS}, stripe_product_id, stripe_price_id FROM tiers WHERE community_id = $1 AND id = $2${
      options.forUpdate ? ' FOR UPDATE' : ''
    }`,
    [communityId, tierId],
  );
  const row = rows[0];
  return (
    row && { ...toTier(row), stripeProductId: row.stripe_product_id, stripePriceId: row.stripe_price_id }
  );
}

/** The tier a Stripe Price was created for (a subscription moved to another plan follows it). */
export async function findTierByStripePrice(
  q: Queryable,
  priceId: string,
): Promise<{ id: string; communityId: string } | undefined> {
  const { rows } = await q.query<{ id: string; community_id: string }>(
    'SELECT id, community_id FROM tiers WHERE stripe_price_id = $1',
    [priceId],
  );
  return rows[0] && { id: rows[0].id, communityId: rows[0].community_id };
}

/** Stores the Stripe ids unless the tier's price changed meanwhile (that price gets its own). */
export async function saveTierStripeIds(
  q: Queryable,
  tierId: string,
  price: TierPrice,
  ids: { productId: string; priceId: string },
): Promise<void> {
  await q.query(
    `UPDATE tiers SET stripe_product_id = $2, stripe_price_id = $3
     WHERE id = $1 AND price_amount = $4 AND price_currency = $5 AND price_interval = $6`,
    [tierId, ids.productId, ids.priceId, price.value, price.currency, price.interval],
  );
}

export interface TierPatch {
  name?: string | undefined;
  description?: string | undefined;
  rank?: number | undefined;
  perks?: Perk[] | undefined;
  /** null: no longer for sale. */
  price?: TierPrice | null | undefined;
  gate?: Gate | undefined;
}

/** Throws PostgreSQL's unique violation on `tiers_community_id_rank_key` when the new rank is taken. */
export async function updateTierRow(q: Queryable, tierId: string, patch: TierPatch): Promise<Tier> {
  const setPrice = patch.price !== undefined;
  const { rows } = await q.query<TierRow>(
    `UPDATE tiers SET
       name = COALESCE($2, name),
       description = COALESCE($3, description),
       rank = COALESCE($4, rank),
       perks = COALESCE($5::jsonb, perks),
       gate = COALESCE($6::jsonb, gate),
       price_amount = CASE WHEN $7 THEN $8::bigint ELSE price_amount END,
       price_currency = CASE WHEN $7 THEN $9 ELSE price_currency END,
       price_interval = CASE WHEN $7 THEN $10 ELSE price_interval END,
       stripe_price_id = CASE WHEN $7 THEN NULL ELSE stripe_price_id END,
       updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      tierId,
      patch.name ?? null,
      patch.description ?? null,
      patch.rank ?? null,
      patch.perks ? JSON.stringify(patch.perks) : null,
      patch.gate ? JSON.stringify(patch.gate) : null,
      setPrice,
      patch.price?.value ?? null,
      patch.price?.currency ?? null,
      patch.price?.interval ?? null,
    ],
  );
  return toTier(rows[0] as TierRow);
}

/** Every gate of every community (the watcher derives the contracts to watch from them). */
export async function allGates(q: Queryable): Promise<{ communityId: string; gate: Gate }[]> {
  const { rows } = await q.query<{ community_id: string; gate: unknown }>(
    'SELECT community_id, gate FROM tiers',
  );
  return rows.map((r) => ({ communityId: r.community_id, gate: gateSchema.parse(r.gate) }));
}
