import { createHash, randomBytes } from 'node:crypto';
import {
  type Context,
  memberSignedInV1,
  membershipGrantedV1,
  subscriptionChangedV1,
  tipReceivedV1,
  voteCastV1,
} from '@coterie/contracts';
import { schemaNameFor } from '@coterie/db';
import type { Naming, NatsConnection } from '@coterie/messaging';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type pg from 'pg';
import type { StripeDouble } from '../../../tests/support/stripe-double.ts';
import { waitUntil } from '../support/service-process.ts';
import type { Accepted } from './workloads.ts';

export interface Verification {
  acceptedSignIns: number;
  signInsWithOneSession: number;
  signInsWithOneEvent: number;
  acceptedTips: number;
  /** Confirmed, one ledger credit and one `tipping.tip.received.v1`. */
  tipsCreditedOnce: number;
  acceptedVotes: number;
  /** One stored vote and one `governance.vote.cast.v1`. */
  votesCountedOnce: number;
  acceptedSubscriptions: number;
  /** One active subscription that became active once, and one membership grant. */
  subscriptionsGrantedOnce: number;
  /** Events whose effect (session, tip, ballot, activation, grant) appears more than once. */
  duplicateEvents: number;
  /** A few of them, `<event type> <key> ×<count>`, for the reader. */
  duplicateSamples: string[];
  /** A few accepted writes without their one effect, and what was found instead. */
  missingSamples: string[];
}

export interface VerifyInput {
  db: pg.Client;
  nc: NatsConnection;
  naming: Naming;
  namespace: string;
  stripe: StripeDouble;
  communityId: string;
  /** Session tokens of the accepted sign-ins. */
  signInTokens: readonly string[];
  accepted: Accepted;
  /** How long Stripe's retries and the consumers may take to finish after the load. */
  settleMs: number;
}

const CONTEXTS_WITH_OUTBOX: readonly Context[] = ['identity', 'entitlements', 'tipping', 'governance'];

/**
 * Waits (up to `settleMs`) for Stripe's deliveries, the tips' confirmations, the subscribers'
 * grants and the outboxes to settle, then counts each accepted write's effects in the services'
 * tables and on their streams.
 */
export async function verifyEffects(input: VerifyInput): Promise<Verification> {
  const { db, namespace, accepted } = input;
  const schema = (context: Context) => `"${schemaNameFor(context, namespace)}"`;
  const deadline = Date.now() + input.settleMs;
  await input.stripe.deliveriesSettled();
  // The effects first, then the outboxes: an effect committed with its event in the outbox, so
  // once all are seen, drained outboxes mean their events are on the streams.
  await waitUntil(
    'tips confirmed, subscribers granted, outboxes drained',
    async () => {
      const tips = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema('tipping')}.tips WHERE id = ANY($1::uuid[]) AND status = 'confirmed'`,
        [accepted.tips],
      );
      if (Number(tips.rows[0]?.n) < accepted.tips.length) return false;
      const granted = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema('entitlements')}.memberships
         WHERE community_id = $1 AND member_id = ANY($2::uuid[]) AND tier_id IS NOT NULL`,
        [input.communityId, accepted.subscriptions.map((s) => s.memberId)],
      );
      if (Number(granted.rows[0]?.n) < accepted.subscriptions.length) return false;
      for (const context of CONTEXTS_WITH_OUTBOX) {
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema(context)}.outbox WHERE published_at IS NULL`,
        );
        if (Number(rows[0]?.n) > 0) return false;
      }
      return true;
    },
    Math.max(1_000, deadline - Date.now()),
  ).catch(() => {
    // Counted below: what did not settle shows as a missing effect, not as a thrown test.
  });

  // Sign-ins: one session row and one signed-in event each.
  const sessionsByHash = new Map(
    (
      await db.query<{ id: string; hash: string }>(
        `SELECT id, encode(token_hash, 'hex') AS hash FROM ${schema('identity')}.sessions`,
      )
    ).rows.map((r) => [r.hash, r.id]),
  );
  const sessionIds = input.signInTokens.map((token) =>
    sessionsByHash.get(createHash('sha256').update(token).digest('hex')),
  );
  const count = (
    context: Context,
    subject: string,
    keyOf: (data: Record<string, unknown>) => string | null,
  ) => countEvents(input.nc, input.naming, context, subject, keyOf);
  const signInEvents = await count('identity', memberSignedInV1.subject, (d) => String(d.sessionId));

  // Tips: confirmed, one ledger credit, one tip.received.
  const confirmed = new Set(
    (
      await db.query<{ id: string }>(
        `SELECT id FROM ${schema('tipping')}.tips WHERE id = ANY($1::uuid[]) AND status = 'confirmed'`,
        [accepted.tips],
      )
    ).rows.map((r) => r.id),
  );
  const credits = new Map(
    (
      await db.query<{ tip_id: string; n: string }>(
        `SELECT tip_id, count(*) AS n FROM ${schema('tipping')}.ledger_transactions
         WHERE tip_id = ANY($1::uuid[]) AND reverses IS NULL GROUP BY tip_id`,
        [accepted.tips],
      )
    ).rows.map((r) => [r.tip_id, Number(r.n)]),
  );
  const tipEvents = await count('tipping', tipReceivedV1.subject, (d) => String(d.tipId));

  // Votes: one stored vote and one vote.cast per ballot.
  const ballot = (proposalId: string, voter: string) => `${proposalId}:${voter.toLowerCase()}`;
  const storedVotes = new Set(
    (
      await db.query<{ proposal_id: string; voter: string }>(
        `SELECT proposal_id, voter FROM ${schema('governance')}.votes
         WHERE proposal_id = ANY($1::uuid[])`,
        [[...new Set(accepted.votes.map((v) => v.proposalId))]],
      )
    ).rows.map((r) => ballot(r.proposal_id, r.voter)),
  );
  const voteEvents = await count('governance', voteCastV1.subject, (d) =>
    ballot(String(d.proposalId), String(d.voter)),
  );

  // Subscriptions: one active row each, activated once, and its member granted once.
  const subscriptions = new Map(
    (
      await db.query<{ id: string; stripe_subscription_id: string; status: string }>(
        `SELECT id, stripe_subscription_id, status FROM ${schema('entitlements')}.subscriptions
         WHERE stripe_subscription_id = ANY($1::text[])`,
        [accepted.subscriptions.map((s) => s.stripeSubscriptionId)],
      )
    ).rows.map((r) => [r.stripe_subscription_id, r]),
  );
  const activations = await count('entitlements', subscriptionChangedV1.subject, (d) =>
    d.status === 'active' && d.previousStatus !== 'active' ? String(d.subscriptionId) : null,
  );
  const grants = await count('entitlements', membershipGrantedV1.subject, (d) =>
    d.communityId === input.communityId ? String(d.memberId) : null,
  );

  const subscriptionEffect = (s: Accepted['subscriptions'][number]) => {
    const row = subscriptions.get(s.stripeSubscriptionId);
    const activated = row ? (activations.get(row.id) ?? 0) : 0;
    const granted = grants.get(s.memberId) ?? 0;
    return row?.status === 'active' && activated === 1 && granted === 1
      ? 'once'
      : `row ${row?.status ?? 'missing'}, activated ${activated}×, member granted ${granted}×`;
  };
  const duplicates = (
    [
      [memberSignedInV1.type, signInEvents],
      [tipReceivedV1.type, tipEvents],
      [voteCastV1.type, voteEvents],
      [`${subscriptionChangedV1.type} (to active)`, activations],
      [membershipGrantedV1.type, grants],
    ] as const
  ).flatMap(([type, counts]) =>
    [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${type} ${key} ×${n}`),
  );
  return {
    acceptedSignIns: input.signInTokens.length,
    signInsWithOneSession: sessionIds.filter(Boolean).length,
    signInsWithOneEvent: sessionIds.filter((id) => id && signInEvents.get(id) === 1).length,
    acceptedTips: accepted.tips.length,
    tipsCreditedOnce: accepted.tips.filter(
      (id) => confirmed.has(id) && credits.get(id) === 1 && tipEvents.get(id) === 1,
    ).length,
    acceptedVotes: accepted.votes.length,
    votesCountedOnce: accepted.votes.filter((v) => {
      const key = ballot(v.proposalId, v.voter);
      return storedVotes.has(key) && voteEvents.get(key) === 1;
    }).length,
    acceptedSubscriptions: accepted.subscriptions.length,
    subscriptionsGrantedOnce: accepted.subscriptions.filter((s) => subscriptionEffect(s) === 'once').length,
    duplicateEvents: duplicates.length,
    duplicateSamples: duplicates.slice(0, 10),
    missingSamples: [
      ...accepted.tips.flatMap((id) => {
        const found = `status ${confirmed.has(id) ? 'confirmed' : 'not confirmed'}, ${credits.get(id) ?? 0} credit(s), ${tipEvents.get(id) ?? 0} event(s)`;
        return confirmed.has(id) && credits.get(id) === 1 && tipEvents.get(id) === 1
          ? []
          : [`tip ${id}: ${found}`];
      }),
      ...accepted.subscriptions.flatMap((s) => {
        const effect = subscriptionEffect(s);
        return effect === 'once' ? [] : [`subscription ${s.stripeSubscriptionId}: ${effect}`];
      }),
    ].slice(0, 10),
  };
}

/**
 * How many times each key (from the event's data) occurs among the stream's `subject` events;
 * events whose key is `null` are not counted.
 */
async function countEvents(
  nc: NatsConnection,
  naming: Naming,
  context: Context,
  subject: string,
  keyOf: (data: Record<string, unknown>) => string | null,
): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(nc);
  const stream = naming.stream(context);
  const filter = naming.subject(subject);
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  const total = info.state.subjects?.[filter] ?? 0;
  const counts = new Map<string, number>();
  if (total === 0) return counts;
  // A throw-away durable (singular `filter_subject`: multi-filter needs nats-server 2.10), R1 in
  // memory. Right after a node died the meta leader may still place it there and the request
  // times out: try again, under a new name (the timed-out one may exist after all).
  let durable = '';
  for (let attempt = 1; ; attempt++) {
    durable = `count_${randomBytes(4).toString('hex')}`;
    const added = await jsm.consumers
      .add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.All,
        filter_subject: filter,
        inactive_threshold: 60_000_000_000,
        num_replicas: 1,
        mem_storage: true,
      })
      .then(
        () => true,
        (error: Error) => {
          if (attempt >= 6) throw error;
          return false;
        },
      );
    if (added) break;
  }
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  let seen = 0;
  while (seen < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(1_000, total - seen), expires: 5_000 });
    let got = 0;
    for await (const msg of batch) {
      const key = keyOf((msg.json() as { data: Record<string, unknown> }).data);
      if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
      got += 1;
    }
    if (got === 0) throw new Error(`read ${seen} of ${total} ${subject} events, then nothing`);
    seen += got;
  }
  await jsm.consumers.delete(stream, durable).catch(() => {});
  return counts;
}

/** Every accepted write had exactly one effect, and no effect happened twice. */
export function exactlyOnce(v: Verification): boolean {
  return (
    v.signInsWithOneSession === v.acceptedSignIns &&
    v.signInsWithOneEvent === v.acceptedSignIns &&
    v.tipsCreditedOnce === v.acceptedTips &&
    v.votesCountedOnce === v.acceptedVotes &&
    v.subscriptionsGrantedOnce === v.acceptedSubscriptions &&
    v.duplicateEvents === 0
  );
}
