import type { Envelope, EventData, EventDefinition } from '@coterie/contracts';
import type { Pool, Queryable } from '@coterie/db';
import { claimInboxBatch, handleOnce } from '@coterie/messaging';

/**
 * Writes one event type into the projections. `apply` is set-based (it takes a batch) and must
 * give the same tables whatever the order or grouping of the events: the live consumers call it
 * with the events that arrived together, the rebuild and the benchmark with thousands.
 */
export interface Projector<D extends EventDefinition = EventDefinition> {
  readonly def: D;
  apply(client: Queryable, events: readonly Envelope<EventData<D>>[]): Promise<void>;
}

/** The live path: the effect and the inbox claim (by event id) in one transaction. */
export async function projectOnce(
  pool: Pool,
  consumer: string,
  projector: Projector,
  event: Envelope,
): Promise<'applied' | 'duplicate'> {
  return handleOnce(pool, consumer, event, (client) => projector.apply(client, [event as Envelope<never>]));
}

/**
 * The batch path (live bursts, rebuild, benchmark): claims the events' ids in the inbox at once
 * and applies the ones not seen before. Call inside a transaction.
 */
export async function projectBatch(
  client: Queryable,
  consumer: string,
  projector: Projector,
  events: readonly Envelope[],
): Promise<number> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const claimed = await claimInboxBatch(
    client,
    consumer,
    unique.map((e) => e.id),
  );
  const fresh = unique.filter((e) => claimed.has(e.id));
  if (fresh.length > 0) await projector.apply(client, fresh as Envelope<never>[]);
  return fresh.length;
}

/** `YYYY-MM-DD` (UTC) of an ISO instant: how every projection buckets by `occurredAt`. */
export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/**
 * Transaction-scoped advisory locks, taken in a fixed order (no deadlocks). Used where a handler
 * reads what another stream's handler writes (sign-ins vs. joins, a subscription's spans).
 */
export async function lockKeys(client: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
     FROM (SELECT DISTINCT unnest($1::text[]) AS k ORDER BY 1) s`,
    [keys],
  );
}

export const memberLock = (memberId: string) => `analytics:member:${memberId}`;

export interface ActiveDay {
  communityId: string;
  memberId: string;
  day: string;
}

/**
 * Marks members active in a community on a day (a set: repeating it changes nothing) and keeps
 * the daily rollup's `active` (DAU) equal to the set's size, in the caller's transaction.
 */
export async function touchActive(client: Queryable, rows: readonly ActiveDay[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `WITH input AS (
       SELECT DISTINCT c, d, m FROM unnest($1::uuid[], $2::date[], $3::uuid[]) AS t(c, d, m)
     ), ins AS (
       INSERT INTO active_days (community_id, day, member_id)
       SELECT c, d, m FROM input ORDER BY c, d, m
       ON CONFLICT DO NOTHING
       RETURNING community_id, day
     )
     INSERT INTO daily (community_id, day, active)
     SELECT community_id, day, count(*) FROM ins GROUP BY 1, 2 ORDER BY 1, 2
     ON CONFLICT (community_id, day) DO UPDATE SET active = daily.active + excluded.active`,
    [rows.map((r) => r.communityId), rows.map((r) => r.day), rows.map((r) => r.memberId)],
  );
}

/** Keeps, per key, the element that sorts last by `(at, id)`: the newest fact wins deterministically. */
export function newestBy<T>(
  items: readonly T[],
  key: (t: T) => string,
  order: (t: T) => [string, string],
): T[] {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const current = out.get(k);
    if (!current) {
      out.set(k, item);
      continue;
    }
    const [a1, a2] = order(item);
    const [b1, b2] = order(current);
    if (a1 > b1 || (a1 === b1 && a2 > b2)) out.set(k, item);
  }
  return [...out.values()];
}

/** Keeps, per key, the event that happened first (the first seen on a tie): first facts win. */
export function earliestBy<E extends { occurredAt: string }>(
  events: readonly E[],
  key: (e: E) => string,
): E[] {
  const out = new Map<string, E>();
  for (const event of events) {
    const k = key(event);
    const current = out.get(k);
    if (!current || Date.parse(event.occurredAt) < Date.parse(current.occurredAt)) out.set(k, event);
  }
  return [...out.values()];
}

/** Timestamps compare as ISO strings only when normalised: `new Date(x).toISOString()`. */
export function isoOf(iso: string): string {
  return new Date(iso).toISOString();
}
