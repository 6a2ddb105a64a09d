import type { Community, TippingPolicy } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { getAddress } from 'viem';

interface CommunityRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  treasury_chain_id: number | null;
  treasury_address: string | null;
  tipping: TippingPolicy;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, slug, name, description, treasury_chain_id, treasury_address, tipping, created_at, updated_at';

function toCommunity(row: CommunityRow): Community {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    treasury:
      row.treasury_chain_id !== null && row.treasury_address !== null
        ? { chainId: row.treasury_chain_id, address: row.treasury_address }
        : null,
    tipping: row.tipping,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewCommunity {
  id: string;
  slug: string;
  name: string;
  description: string;
  treasury: { chainId: number; address: string } | null;
  tipping: TippingPolicy;
  createdBy: string;
}

/** Throws PostgreSQL's unique violation on `communities_slug_key` when the slug is taken. */
export async function insertCommunity(q: Queryable, c: NewCommunity): Promise<Community> {
  const { rows } = await q.query<CommunityRow>(
    `INSERT INTO communities (id, slug, name, description, treasury_chain_id, treasury_address, tipping, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      c.id,
      c.slug,
      c.name,
      c.description,
      c.treasury?.chainId ?? null,
      c.treasury ? getAddress(c.treasury.address) : null,
      c.tipping,
      c.createdBy,
    ],
  );
  return toCommunity(rows[0] as CommunityRow);
}

export async function findCommunityBySlug(q: Queryable, slug: string): Promise<Community | undefined> {
  const { rows } = await q.query<CommunityRow>(`SELECT ${COLUMNS} FROM communities WHERE slug = $1`, [slug]);
  return rows[0] && toCommunity(rows[0]);
}

export async function findCommunityById(q: Queryable, id: string): Promise<Community | undefined> {
  const { rows } = await q.query<CommunityRow>(`SELECT ${COLUMNS} FROM communities WHERE id = $1`, [id]);
  return rows[0] && toCommunity(rows[0]);
}

/** Keyset pagination on the (time-ordered uuidv7) id: stable under concurrent inserts. */
export async function listCommunities(
  q: Queryable,
  page: { limit: number; afterId?: string },
): Promise<Community[]> {
  const { rows } = await q.query<CommunityRow>(
    `SELECT ${COLUMNS} FROM communities WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [page.afterId ?? null, page.limit],
  );
  return rows.map(toCommunity);
}

export async function updateCommunity(
  q: Queryable,
  id: string,
  patch: {
    name?: string | undefined;
    description?: string | undefined;
    treasury?: { chainId: number; address: string } | null | undefined;
    tipping?: TippingPolicy | undefined;
  },
): Promise<Community> {
  const setTreasury = patch.treasury !== undefined;
  const { rows } = await q.query<CommunityRow>(
    `UPDATE communities SET
       name = COALESCE($2, name),
       description = COALESCE($3, description),
       treasury_chain_id = CASE WHEN $4 THEN $5 ELSE treasury_chain_id END,
       treasury_address = CASE WHEN $4 THEN $6 ELSE treasury_address END,
       tipping = COALESCE($7, tipping),
       updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      patch.name ?? null,
      patch.description ?? null,
      setTreasury,
      patch.treasury?.chainId ?? null,
      patch.treasury ? getAddress(patch.treasury.address) : null,
      patch.tipping ?? null,
    ],
  );
  return toCommunity(rows[0] as CommunityRow);
}

export async function allCommunityIds(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM communities');
  return rows.map((r) => r.id);
}
