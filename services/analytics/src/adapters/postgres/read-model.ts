import type { Queryable } from '@coterie/db';
import type { MonthlySpend, MrrByMember, SubscriptionChange } from '../../domain/kpi/index.ts';

const PAYING_SPAN = 'paying AND monthly_value > 0';

/** Each paying customer's MRR per currency at the instant `at` (spans with start ≤ at < end). */
export async function mrrByMemberAt(q: Queryable, communityId: string, at: Date): Promise<MrrByMember> {
  const { rows } = await q.query<{ currency: string; member_id: string; mrr: string }>(
    `SELECT currency, member_id, sum(monthly_value)::text AS mrr FROM subscription_changes
     WHERE community_id = $1 AND ${PAYING_SPAN} AND COALESCE(valid_to, 'infinity'::timestamptz) > $2 AND at <= $2
     GROUP BY 1, 2`,
    [communityId, at.toISOString()],
  );
  const out = new Map<string, Map<string, bigint>>();
  for (const r of rows) {
    const members = out.get(r.currency) ?? new Map<string, bigint>();
    members.set(r.member_id, BigInt(r.mrr));
    out.set(r.currency, members);
  }
  return out;
}

/** Which of `members` paid (in which currency) at or before `at`: `<currency>:<memberId>`. */
export async function paidBefore(
  q: Queryable,
  communityId: string,
  at: Date,
  members: readonly string[],
): Promise<Set<string>> {
  if (members.length === 0) return new Set();
  const { rows } = await q.query<{ currency: string; member_id: string }>(
    `SELECT DISTINCT currency, member_id FROM subscription_changes
     WHERE community_id = $1 AND ${PAYING_SPAN} AND member_id = ANY($3::uuid[]) AND at <= $2`,
    [communityId, at.toISOString(), members],
  );
  return new Set(rows.map((r) => `${r.currency}:${r.member_id}`));
}

export async function activeCounts(
  q: Queryable,
  communityId: string,
  asOfDay: string,
): Promise<{ dau: number; wau: number; mau: number; memberDays: number }> {
  const { rows } = await q.query<{ dau: number; wau: number; mau: number; member_days: number }>(
    `SELECT
       COALESCE((SELECT active FROM daily WHERE community_id = $1 AND day = $2::date), 0) AS dau,
       w.wau, w.mau,
       (SELECT COALESCE(sum(active), 0)::int FROM daily
         WHERE community_id = $1 AND day BETWEEN $2::date - 29 AND $2::date) AS member_days
     FROM (
       -- One pass over the 30 days for both: each member once, with the last day seen.
       SELECT count(*) FILTER (WHERE last_day >= $2::date - 6)::int AS wau, count(*)::int AS mau
       FROM (SELECT max(day) AS last_day FROM active_days
             WHERE community_id = $1 AND day BETWEEN $2::date - 29 AND $2::date
             GROUP BY member_id) m
     ) w`,
    [communityId, asOfDay],
  );
  const r = rows[0]!;
  return { dau: r.dau, wau: r.wau, mau: r.mau, memberDays: r.member_days };
}

/** Members who first joined in [from, to), and how many of them paid by `to`. */
export async function joinedAndPaid(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<{ joined: number; paid: number }> {
  const { rows } = await q.query<{ joined: number; paid: number }>(
    `SELECT count(*)::int AS joined,
            (count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM subscription_changes s
              WHERE s.community_id = m.community_id AND s.member_id = m.member_id
                AND s.paying AND s.monthly_value > 0 AND s.at <= $3)))::int AS paid
     FROM memberships m
     WHERE m.community_id = $1 AND m.first_joined_at >= $2 AND m.first_joined_at < $3`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return rows[0]!;
}

export async function monthlySpend(q: Queryable, communityId: string): Promise<MonthlySpend[]> {
  const { rows } = await q.query<{ month: string; currency: string; amount: string }>(
    'SELECT month, currency, amount FROM spend WHERE community_id = $1 ORDER BY month, currency',
    [communityId],
  );
  return rows.map((r) => ({ month: r.month, currency: r.currency, amount: BigInt(r.amount) }));
}

export async function npsScores(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<{ day: string; score: number }[]> {
  const { rows } = await q.query<{ day: string; score: number }>(
    `SELECT (at AT TIME ZONE 'UTC')::date::text AS day, score FROM nps_responses
     WHERE community_id = $1 AND at >= $2 AND at < $3`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return rows;
}

/** Tip volume by UTC day and ledger asset: member tips received in [from, to) and not reversed. */
export async function tipVolume(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
  byDay: boolean,
): Promise<{ day: string | null; asset: string; amount: string; count: number; reversed: number }[]> {
  const day = byDay ? `(received_at AT TIME ZONE 'UTC')::date::text` : 'NULL::text';
  const { rows } = await q.query<{
    day: string | null;
    asset: string;
    amount: string;
    count: number;
    reversed: number;
  }>(
    `SELECT ${day} AS day, asset,
            COALESCE(sum(amount) FILTER (WHERE reversed_at IS NULL), 0)::text AS amount,
            (count(*) FILTER (WHERE reversed_at IS NULL))::int AS count,
            (count(*) FILTER (WHERE reversed_at IS NOT NULL))::int AS reversed
     FROM tips
     WHERE community_id = $1 AND kind = 'tip' AND received_at >= $2 AND received_at < $3
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return rows;
}

/** Events starting in [from, to) and not cancelled: checked-in attendees, and going (confirmed) ∪ attended. */
export async function attendance(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<{ attended: number; expected: number }> {
  const { rows } = await q.query<{ attended: number; expected: number }>(
    `WITH ev AS (
       SELECT event_id FROM community_events
       WHERE community_id = $1 AND NOT cancelled AND starts_at >= $2 AND starts_at < $3
     ), attended AS (
       SELECT a.event_id, a.member_id FROM attendances a JOIN ev USING (event_id)
     )
     SELECT (SELECT count(*)::int FROM attended) AS attended,
            (SELECT count(*)::int FROM (
               SELECT r.event_id, r.member_id FROM rsvps r JOIN ev USING (event_id)
               WHERE r.status = 'going' AND r.seat = 'confirmed'
               UNION SELECT event_id, member_id FROM attended) x) AS expected`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return rows[0]!;
}

/**
 * Proposals whose voting ended in [from, to): distinct voters, and the members eligible when each
 * proposal was created (holding a tier of at least its rank at that instant).
 */
export async function participation(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<{ voters: number; eligible: number }> {
  const { rows } = await q.query<{ voters: number; eligible: number }>(
    `WITH p AS (
       SELECT proposal_id, created_at, COALESCE(min_rank, 1) AS min_rank FROM proposals
       WHERE community_id = $1 AND created_at IS NOT NULL
         AND COALESCE(closed_at, ends_at) >= $2 AND COALESCE(closed_at, ends_at) < $3
     )
     SELECT (SELECT count(*)::int FROM votes v JOIN p USING (proposal_id)) AS voters,
            (SELECT count(*)::int FROM p JOIN membership_changes mc
               ON mc.community_id = $1 AND mc.at <= p.created_at
              AND COALESCE(mc.valid_to, 'infinity'::timestamptz) > p.created_at
              AND mc.tier_rank >= p.min_rank) AS eligible`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return rows[0]!;
}

// ---------- time series ----------

/** MRR changes per UTC day and currency before `to`: +value where a paying span starts, − where it ends. */
export async function mrrDailyDeltas(
  q: Queryable,
  communityId: string,
  to: Date,
): Promise<{ currency: string; day: string; delta: string }[]> {
  const { rows } = await q.query<{ currency: string; day: string; delta: string }>(
    `SELECT currency, d::text AS day, sum(v)::text AS delta FROM (
       SELECT currency, (at AT TIME ZONE 'UTC')::date AS d, monthly_value AS v FROM subscription_changes
       WHERE community_id = $1 AND ${PAYING_SPAN} AND at < $2
       UNION ALL
       SELECT currency, (valid_to AT TIME ZONE 'UTC')::date, -monthly_value FROM subscription_changes
       WHERE community_id = $1 AND ${PAYING_SPAN} AND valid_to < $2
     ) x GROUP BY 1, 2 ORDER BY 2, 1`,
    [communityId, to.toISOString()],
  );
  return rows;
}

export async function dailyActive(
  q: Queryable,
  communityId: string,
  firstDay: string,
  lastDay: string,
): Promise<Map<string, number>> {
  const { rows } = await q.query<{ day: string; active: number }>(
    `SELECT day::text AS day, active FROM daily WHERE community_id = $1 AND day BETWEEN $2::date AND $3::date`,
    [communityId, firstDay, lastDay],
  );
  return new Map(rows.map((r) => [r.day, r.active]));
}

/** Distinct active members within each [firstDay, lastDay] window. */
export async function distinctActive(
  q: Queryable,
  communityId: string,
  windows: readonly { firstDay: string; lastDay: string }[],
): Promise<number[]> {
  const { rows } = await q.query<{ i: string; n: number }>(
    `SELECT b.i::text AS i, count(DISTINCT a.member_id)::int AS n
     FROM unnest($2::date[], $3::date[]) WITH ORDINALITY AS b(f, l, i)
     JOIN active_days a ON a.community_id = $1 AND a.day BETWEEN b.f AND b.l
     GROUP BY b.i`,
    [communityId, windows.map((w) => w.firstDay), windows.map((w) => w.lastDay)],
  );
  const out = windows.map(() => 0);
  for (const r of rows) out[Number(r.i) - 1] = r.n;
  return out;
}

/**
 * Rolling 30-day MAU for every day in [firstDay, lastDay], in one pass: each member's active days
 * cover the 30 days from them; overlapping coverage is merged per member, then swept.
 */
export async function rollingMau(
  q: Queryable,
  communityId: string,
  firstDay: string,
  lastDay: string,
): Promise<{ day: string; delta: number }[]> {
  const { rows } = await q.query<{ day: string; delta: number }>(
    `WITH d AS (
       SELECT day, lag(day) OVER (PARTITION BY member_id ORDER BY day) AS prev
       FROM active_days WHERE community_id = $1 AND day BETWEEN $2::date - 29 AND $3::date
     ), seg AS (
       SELECT GREATEST(day, COALESCE(prev + 30, day)) AS s, day + 30 AS e FROM d
     )
     SELECT day::text AS day, sum(delta)::int AS delta FROM (
       SELECT s AS day, 1 AS delta FROM seg UNION ALL SELECT e, -1 FROM seg
     ) x GROUP BY 1 ORDER BY 1`,
    [communityId, firstDay, lastDay],
  );
  return rows;
}

export async function joinsByDay(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  const { rows } = await q.query<{ day: string; n: number }>(
    `SELECT first_joined_day::text AS day, count(*)::int AS n FROM memberships
     WHERE community_id = $1 AND first_joined_at >= $2 AND first_joined_at < $3 GROUP BY 1`,
    [communityId, from.toISOString(), to.toISOString()],
  );
  return new Map(rows.map((r) => [r.day, r.n]));
}

/** Every subscription change of a community, in time order (ties by event id), for cohorts. */
export async function subscriptionChanges(q: Queryable, communityId: string): Promise<SubscriptionChange[]> {
  const { rows } = await q.query<{
    subscription_id: string;
    member_id: string;
    at: Date;
    status: string;
    monthly_value: string;
    currency: string;
  }>(
    `SELECT subscription_id, member_id, at, status, monthly_value, currency FROM subscription_changes
     WHERE community_id = $1 ORDER BY at, event_id`,
    [communityId],
  );
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    memberId: r.member_id,
    at: r.at,
    status: r.status,
    mrr: BigInt(r.monthly_value),
    currency: r.currency,
  }));
}
