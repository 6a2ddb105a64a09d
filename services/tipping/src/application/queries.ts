import { InvalidCursorError, idSchema, type Tip } from '@coterie/contracts';
import { amountOf, findTip, linesOf, type TipRow, toTip } from '../adapters/postgres/tips-repository.ts';
import { parseAsset } from '../domain/ledger/assets.ts';
import { TipNotFoundError } from '../domain/tipping-errors.ts';
import type { TippingDeps } from '../ports.ts';

export async function getTip(deps: TippingDeps, input: { communityId: string; tipId: string }): Promise<Tip> {
  const row = await findTip(deps.pool, input.tipId);
  if (!row || row.community_id !== input.communityId) throw new TipNotFoundError();
  const lines = (await linesOf(deps.pool, [row.id])).get(row.id) ?? [];
  return toTip(row, lines);
}

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      idSchema.safeParse(value[1]).success
    )
      return [value[0], value[1]];
  } catch {}
  throw new InvalidCursorError();
}

/**
 * The feed: confirmed tips, newest confirmation first. Keyset pagination on (confirmed_at, id);
 * the cursor keeps PostgreSQL's own microsecond timestamp text, so no tip is skipped or repeated.
 */
export async function listTips(
  deps: TippingDeps,
  input: { communityId: string; limit: number; cursor?: string | undefined },
): Promise<{ items: Tip[]; nextCursor: string | null }> {
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const { rows } = await deps.pool.query<TipRow & { confirmed_at_text: string }>(
    `SELECT *, confirmed_at::text AS confirmed_at_text FROM tips
     WHERE community_id = $1 AND status = 'confirmed'
       AND ($2::timestamptz IS NULL OR (confirmed_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY confirmed_at DESC, id DESC LIMIT $4`,
    [input.communityId, after?.[0] ?? null, after?.[1] ?? null, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const lines = await linesOf(
    deps.pool,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toTip(r, lines.get(r.id) ?? [])),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.confirmed_at_text, last.id) : null,
  };
}

/** Start of the period in UTC: Monday 00:00 of this week, the 1st of this month, or none. */
export function periodStart(period: 'week' | 'month' | 'all', now: Date): Date | null {
  if (period === 'all') return null;
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === 'month') return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

interface BoardRow {
  asset: string;
  decimals: number;
  who: string;
  total: string;
  n: string;
}

/**
 * Top recipients and tippers per asset over confirmed tips (rewards are not tips and do not
 * count). Totals are per asset and never converted: USD, JPY and CTR are separate boards.
 */
export async function leaderboard(
  deps: TippingDeps,
  input: { communityId: string; period: 'week' | 'month' | 'all'; limit: number },
) {
  const since = periodStart(input.period, deps.clock.now());
  const query = (who: string) =>
    deps.pool.query<BoardRow>(
      `SELECT asset, decimals, who, total::text, n FROM (
         SELECT l.asset, l.decimals, ${who} AS who, sum(l.amount) AS total, count(*) AS n,
                row_number() OVER (PARTITION BY l.asset ORDER BY sum(l.amount) DESC, ${who}) AS rank
         FROM tip_lines l JOIN tips t ON t.id = l.tip_id
         WHERE t.community_id = $1 AND t.kind = 'tip' AND t.status = 'confirmed' AND l.credit_id IS NOT NULL
           AND ($2::timestamptz IS NULL OR t.confirmed_at >= $2)
         GROUP BY l.asset, l.decimals, ${who}) ranked
       WHERE rank <= $3 ORDER BY asset, rank`,
      [input.communityId, since, input.limit],
    );
  const [recipients, tippers] = await Promise.all([query('l.to_recipient'), query('t.from_member_id::text')]);
  const assets = new Map<string, { decimals: number; recipients: BoardRow[]; tippers: BoardRow[] }>();
  const slot = (r: BoardRow) => {
    const s = assets.get(r.asset) ?? { decimals: r.decimals, recipients: [], tippers: [] };
    assets.set(r.asset, s);
    return s;
  };
  for (const r of recipients.rows) slot(r).recipients.push(r);
  for (const r of tippers.rows) slot(r).tippers.push(r);
  return {
    period: input.period,
    since: since?.toISOString() ?? null,
    assets: [...assets].map(([asset, s]) => {
      const parsed = parseAsset(asset);
      return {
        asset:
          parsed.type === 'fiat'
            ? { type: 'fiat' as const, currency: parsed.currency }
            : { type: 'token' as const, chainId: parsed.chainId, token: parsed.token, decimals: s.decimals },
        recipients: s.recipients.map((r) => ({
          to: r.who,
          total: amountOf(asset, s.decimals, r.total),
          count: Number(r.n),
        })),
        tippers: s.tippers.map((r) => ({
          memberId: r.who,
          total: amountOf(asset, s.decimals, r.total),
          count: Number(r.n),
        })),
      };
    }),
  };
}
