import { randomUUID } from 'node:crypto';
import {
  attendanceRecordedV1,
  type Context,
  communityCreatedV1,
  type Envelope,
  type EventDefinition,
  eventScheduledV1,
  memberRegisteredV1,
  memberSignedInV1,
  membershipGrantedV1,
  membershipRevokedV1,
  npsSubmittedV1,
  proposalClosedV1,
  proposalCreatedV1,
  rsvpChangedV1,
  spendRecordedV1,
  subscriptionChangedV1,
  tipReceivedV1,
  tipReversedV1,
  voteCastV1,
} from '@coterie/contracts';
import { createPool, migrate, type Pool, schemaNameFor } from '@coterie/db';
import { messagingMigrations } from '@coterie/messaging';
import { MIGRATIONS_DIR } from '../src/app.ts';
import { computeSummary } from '../src/application/get-summary.ts';
import { computeTimeseries } from '../src/application/get-timeseries.ts';
import { ingestBatch } from '../src/application/ingest-batch.ts';

/** Same shape as infra/src/bench/table.ts's BenchRow. */
export interface AnalyticsBenchRow {
  figure: string;
  value: string;
  target: string;
  verdict: 'pass' | 'fail' | 'info';
}

export interface AnalyticsBenchInfra {
  databaseUrl: string;
  /** Schemas are `<namespace>_analytics`; dropped at the end. */
  namespace: string;
}

export interface AnalyticsBenchOptions {
  events?: number;
  members?: number;
  batchSize?: number;
  log?: (line: string) => void;
  /** Leave the schema in place (to inspect query plans). */
  keepSchema?: boolean;
}

const DAY = 86_400_000;
const START = Date.parse('2025-12-01T00:00:00Z');
const END = Date.parse('2026-12-01T00:00:00Z');
const SPAN = END - START;

/** A small deterministic PRNG (mulberry32): the same synthetic year on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Synthetic {
  context: Context;
  def: EventDefinition;
  event: Envelope;
}

/**
 * One community's year: `members` join over the year (a quarter on day one), 60 % subscribe
 * (monthly or yearly, USD or EUR; upgrades, past_due, cancellations), 200 events with RSVPs and
 * check-ins, 24 proposals with votes, tips (2 % refunded), NPS answers, monthly spend, and
 * sign-ins filling the rest up to `total`.
 */
function* syntheticYear(total: number, members: number): Generator<Synthetic> {
  const rnd = prng(42);
  const communityId = randomUUID();
  const ownerId = randomUUID();
  const ids = Array.from({ length: members }, () => randomUUID());
  const wallets = ids.map((id) => `0x${id.replaceAll('-', '')}00000000`);
  const joinAt = ids.map((_, i) => (i < members / 4 ? START : START + Math.floor(rnd() * SPAN)));
  // The fixed parts are sized for 1,000,000 events and scale down with smaller runs.
  const scale = Math.min(1, total / 1_000_000);
  const count = (n: number) => Math.max(1, Math.round(n * scale));
  const tier = { id: randomUUID(), name: 'Member', rank: 1 };
  let made = 0;
  const make = (context: Context, def: EventDefinition, data: unknown, at: number, source = context) => {
    made += 1;
    const id = randomUUID();
    return {
      context,
      def,
      event: {
        id,
        type: def.type,
        version: def.version,
        occurredAt: new Date(at).toISOString(),
        source,
        communityId,
        correlationId: id,
        data,
      } as Envelope,
    };
  };
  const after = (from: number) => from + Math.floor(rnd() * (END - from));
  const anyMember = () => Math.floor(rnd() * members);

  yield make(
    'entitlements',
    communityCreatedV1,
    { communityId, slug: 'bench', name: 'Bench', ownerId },
    START,
  );
  for (let i = 0; i < members; i++) {
    yield make('identity', memberRegisteredV1, { memberId: ids[i], method: 'email' }, joinAt[i]!);
    yield make(
      'entitlements',
      membershipGrantedV1,
      { communityId, memberId: ids[i], version: 1, tier, via: [] },
      joinAt[i]!,
    );
    if (rnd() < 0.2) {
      yield make(
        'entitlements',
        membershipRevokedV1,
        { communityId, memberId: ids[i], version: 2, previousTier: tier, via: [] },
        after(joinAt[i]!),
      );
    }
  }
  // Subscriptions: ~5 changes each.
  for (let i = 0; i < members; i++) {
    if (rnd() >= 0.6) continue;
    const subscriptionId = randomUUID();
    const yearly = rnd() < 0.2;
    const currency = rnd() < 0.7 ? 'usd' : 'eur';
    let price = yearly ? 10_000 + Math.floor(rnd() * 5) * 1_000 : 500 + Math.floor(rnd() * 10) * 100;
    let at = after(joinAt[i]!);
    const statuses = ['active', 'active', 'past_due', 'active', rnd() < 0.4 ? 'canceled' : 'active'] as const;
    for (const status of statuses) {
      if (at >= END) break;
      yield make(
        'entitlements',
        subscriptionChangedV1,
        {
          subscriptionId,
          communityId,
          memberId: ids[i],
          tierId: tier.id,
          status,
          previousStatus: null,
          priceId: `price_${price}`,
          interval: yearly ? 'year' : 'month',
          amount: { value: String(price), currency },
          currentPeriodEnd: null,
        },
        at,
      );
      price += rnd() < 0.5 ? 100 : -50;
      at += Math.floor(rnd() * 60 * DAY);
    }
  }
  // Events, RSVPs, check-ins.
  const eventIds = Array.from({ length: count(200) }, (_, k) => ({
    id: randomUUID(),
    startsAt: START + (k + 0.5) * (SPAN / count(200)),
  }));
  for (const e of eventIds) {
    yield make(
      'events',
      eventScheduledV1,
      {
        eventId: e.id,
        communityId,
        title: 'Event',
        startsAt: new Date(e.startsAt).toISOString(),
        endsAt: new Date(e.startsAt + 7_200_000).toISOString(),
        timezone: 'UTC',
        locationKind: 'online',
        capacity: null,
        minTierRank: null,
        ticket: null,
        sequence: 0,
        occurredAt: new Date(e.startsAt - 20 * DAY).toISOString(),
        createdBy: ownerId,
      },
      Math.max(START, e.startsAt - 20 * DAY),
    );
    for (let r = 0; r < 500; r++) {
      const m = anyMember();
      const at = Math.max(joinAt[m]!, e.startsAt - Math.floor(rnd() * 14 * DAY));
      yield make(
        'events',
        rsvpChangedV1,
        {
          eventId: e.id,
          communityId,
          memberId: ids[m],
          status: 'going',
          previousStatus: null,
          seat: 'confirmed',
          previousSeat: null,
          waitlisted: false,
          position: null,
          cause: 'member',
          goingCount: r + 1,
          heldCount: 0,
          waitlistCount: 0,
          capacity: null,
          occurredAt: new Date(at).toISOString(),
        },
        at,
      );
      if (r % 2 === 0) {
        yield make(
          'events',
          attendanceRecordedV1,
          {
            eventId: e.id,
            communityId,
            memberId: ids[m],
            method: 'code',
            checkedInBy: ids[m],
            attendedCount: r / 2 + 1,
            goingCount: r + 1,
            capacity: null,
            occurredAt: new Date(e.startsAt).toISOString(),
          },
          e.startsAt,
        );
      }
    }
  }
  // Governance: 24 proposals of two weeks, ~4,000 votes each.
  for (let p = 0; p < 24; p++) {
    const proposalId = randomUUID();
    const created = START + p * (SPAN / 24);
    const ends = created + 14 * DAY;
    yield make(
      'governance',
      proposalCreatedV1,
      {
        proposalId,
        communityId,
        title: 'Proposal',
        type: 'single-choice',
        choices: ['Yes', 'No'],
        startsAt: new Date(created).toISOString(),
        endsAt: new Date(ends).toISOString(),
        strategy: { kind: 'tier-member', params: { minRank: 1 } },
        quorum: { kind: 'absolute', value: '1' },
        quorumRequired: '1',
        chainId: 31337,
        snapshotBlock: '1',
        createdBy: ownerId,
      },
      created,
    );
    for (let v = 0; v < count(4_000); v++) {
      const m = anyMember();
      const at = created + Math.floor(rnd() * 14 * DAY);
      yield make(
        'governance',
        voteCastV1,
        {
          proposalId,
          communityId,
          voter: wallets[m],
          memberId: ids[m],
          choice: '1',
          power: '1',
          timestamp: Math.floor(at / 1000),
          replaced: false,
        },
        at,
      );
    }
    yield make(
      'governance',
      proposalClosedV1,
      {
        proposalId,
        communityId,
        tally: { unit: 'power', scores: ['1', '0'], totalPower: '1', votes: 1 },
        quorumRequired: '1',
        quorumReached: true,
        winners: [1],
        closedAt: new Date(ends).toISOString(),
      },
      ends,
    );
  }
  // Tips: 100,000 (a fifth in crypto), 2 % refunded.
  for (let t = 0; t < count(100_000); t++) {
    const m = anyMember();
    const at = after(joinAt[m]!);
    const crypto = t % 5 === 0;
    const data = {
      tipId: randomUUID(),
      communityId,
      kind: 'tip' as const,
      rail: crypto ? ('crypto' as const) : ('fiat' as const),
      from: ids[m]!,
      to: 'creator' as const,
      amount: crypto
        ? { value: '10000000000000000', chainId: 31337, token: 'native' as const, decimals: 18 }
        : { value: String(100 + (t % 20) * 50), currency: 'usd' },
      asset: crypto ? 'native:31337' : 'fiat:usd',
      creditId: randomUUID(),
      occurredAt: new Date(at).toISOString(),
    };
    yield make('tipping', tipReceivedV1, data, at);
    if (t % 50 === 0) {
      const back = Math.min(END - 1, at + 2 * DAY);
      yield make(
        'tipping',
        tipReversedV1,
        { ...data, reversalId: randomUUID(), reason: 'refunded', occurredAt: new Date(back).toISOString() },
        back,
      );
    }
  }
  // NPS answers and monthly spend (analytics' own stream).
  for (let n = 0; n < count(10_000); n++) {
    const m = anyMember();
    yield make(
      'analytics',
      npsSubmittedV1,
      { responseId: randomUUID(), communityId, memberId: ids[m], score: n % 11, comment: null },
      after(joinAt[m]!),
    );
  }
  for (let month = 0; month < 12; month++) {
    const at = Date.UTC(2025, 11 + month, 1);
    const key = new Date(at).toISOString().slice(0, 7);
    yield make(
      'analytics',
      spendRecordedV1,
      { communityId, month: key, amount: { value: '250000', currency: 'usd' }, recordedBy: ownerId },
      at,
    );
  }
  // Sign-ins up to the total.
  while (made < total) {
    const m = anyMember();
    yield make(
      'identity',
      memberSignedInV1,
      { memberId: ids[m], sessionId: randomUUID(), method: 'email' },
      after(joinAt[m]!),
    );
  }
  return communityId;
}

async function timed<T>(
  fn: () => Promise<T>,
  runs = 5,
): Promise<{ median: number; first: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    result = await fn();
    times.push(performance.now() - started);
  }
  const first = times[0]!;
  const warm = times.slice(1).sort((a, b) => a - b);
  return { median: warm[Math.floor(warm.length / 2)]!, first, result: result as T };
}

/**
 * Ingests `events` synthetic events (default 1,000,000) of one community's year through the real
 * projectors and inbox (in-process, batched per stream: `ingestBatch`, which the rebuild uses),
 * then times the summary over the last 30 days and 12-month daily time series on the result.
 */
export async function benchAnalytics(
  infra: AnalyticsBenchInfra,
  options: AnalyticsBenchOptions = {},
): Promise<AnalyticsBenchRow[]> {
  const total = options.events ?? 1_000_000;
  const batchSize = options.batchSize ?? 5_000;
  const log = options.log ?? (() => {});
  const schema = schemaNameFor('analytics', infra.namespace);
  const pool: Pool = createPool({ connectionString: infra.databaseUrl, schema, max: 12 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await migrate(pool, schema, [messagingMigrations, { component: 'service', dir: MIGRATIONS_DIR }]);

    const generator = syntheticYear(
      total,
      options.members ?? Math.max(100, Math.round(20_000 * Math.min(1, total / 1_000_000))),
    );
    const pending = new Map<Context, { subject: string; event: Envelope }[]>();
    let ingestMs = 0;
    let ingested = 0;
    let communityId = '';
    const flush = async (context: Context) => {
      const batch = pending.get(context) ?? [];
      pending.set(context, []);
      const started = performance.now();
      // What the consumer does per message: validate with the contract, then project.
      const parsed = batch.map(({ subject, event }) => ({
        subject,
        event: (projectorDef.get(subject) as EventDefinition).parse(event),
      }));
      ingested += await ingestBatch(pool, context, parsed);
      ingestMs += performance.now() - started;
    };
    const projectorDef = new Map<string, EventDefinition>();
    for (;;) {
      const next = generator.next();
      if (next.done) {
        communityId = next.value;
        break;
      }
      const { context, def, event } = next.value;
      projectorDef.set(def.subject, def);
      const batch = pending.get(context) ?? [];
      batch.push({ subject: def.subject, event });
      pending.set(context, batch);
      if (batch.length >= batchSize) {
        await flush(context);
        if (ingested % 100_000 < batchSize) log(`  ingested ${ingested} events`);
      }
    }
    for (const context of pending.keys()) await flush(context);
    const rate = ingested / (ingestMs / 1000);
    log(`  ingested ${ingested} events in ${(ingestMs / 1000).toFixed(1)} s; VACUUM ANALYZE`);
    await pool.query('VACUUM ANALYZE');

    const from = new Date('2026-11-01T00:00:00Z');
    const to = new Date('2026-12-01T00:00:00Z');
    const year = { from: new Date(START), to: new Date(END) };
    const summary = await timed(() => computeSummary(pool, communityId, from, to));
    const dau = await timed(() =>
      computeTimeseries(pool, { communityId, metric: 'dau', interval: 'day', ...year }),
    );
    const mrr = await timed(() =>
      computeTimeseries(pool, { communityId, metric: 'mrr', interval: 'day', ...year }),
    );
    const mau = await timed(() =>
      computeTimeseries(pool, { communityId, metric: 'mau', interval: 'day', ...year }),
    );
    log(`  summary: ${JSON.stringify(summary.result)}`);
    const verdict = (ms: number) => (ms <= 200 ? 'pass' : 'fail');
    const ms = (t: { median: number; first: number }) =>
      `${t.median.toFixed(0)} ms (first ${t.first.toFixed(0)} ms)`;
    return [
      {
        figure: `Analytics ingest: ${ingested.toLocaleString('en')} events → projections`,
        value: `${Math.round(rate).toLocaleString('en')} events/s (${(ingestMs / 1000).toFixed(1)} s, batches of ${batchSize})`,
        target: '—',
        verdict: ingested === total ? 'info' : 'fail',
      },
      {
        figure: 'Analytics summary over them (30 days, warm median)',
        value: ms(summary),
        target: '≤ 200 ms',
        verdict: verdict(summary.median),
      },
      {
        figure: 'Analytics 12-month daily series: dau',
        value: ms(dau),
        target: '≤ 200 ms',
        verdict: verdict(dau.median),
      },
      {
        figure: 'Analytics 12-month daily series: mrr',
        value: ms(mrr),
        target: '≤ 200 ms',
        verdict: verdict(mrr.median),
      },
      {
        figure: 'Analytics 12-month daily series: mau (rolling 30 days)',
        value: ms(mau),
        target: '—',
        verdict: 'info',
      },
    ];
  } finally {
    if (!options.keepSchema) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }
}

/** `node --import tsx services/analytics/bench/analytics-bench.ts [events]` prints the rows. */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const rows = await benchAnalytics(
    {
      databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      namespace: process.env.BENCH_NAMESPACE ?? `bench${Math.random().toString(16).slice(2, 10)}`,
    },
    {
      events: Number(process.argv[2] ?? 1_000_000),
      log: (l) => process.stdout.write(`${l}\n`),
      keepSchema: process.env.BENCH_KEEP === '1',
    },
  );
  for (const r of rows) process.stdout.write(`${r.figure} | ${r.value} | ${r.target} | ${r.verdict}\n`);
}
