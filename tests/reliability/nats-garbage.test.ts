import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@coterie/messaging';
import { eventually } from '@coterie/testing';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownTable, writeArtifact } from '../support/artifacts.ts';
import { deeplyNested } from '../support/fuzz.ts';
import {
  allRpcDefinitions,
  connectTestNats,
  type JsConsumerInfo,
  namespaceConsumers,
  publishToStream,
} from '../support/nats.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { recordReliability } from '../support/reliability-summary.ts';
import { signInWithWallet } from '../support/siwe.ts';

/**
 * Garbage straight onto NATS, past the gateway: every RPC subject must answer a 400-coded error
 * at once (never a timeout), every consumed event subject must have its poison terminated (the
 * durable consumers drain, nothing stuck in redelivery) and keep handling good events, and no
 * service may fall over (`/readyz` stays 200).
 */

/** Each durable consumer and the event subjects it handles (services/<svc>/src/handlers/events). */
const CONSUMERS: Record<string, string[]> = {
  'analytics--identity': [
    'identity.member.registered.v1',
    'identity.member.signed-in.v1',
    'identity.member.erased.v1',
  ],
  'entitlements--identity': ['identity.wallet.linked.v1', 'identity.wallet.unlinked.v1'],
  'entitlements--stripe': ['entitlements.stripe-event.received.v1'],
  'tipping--identity': ['identity.member.erased.v1'],
  'events--identity': ['identity.member.erased.v1'],
  'analytics--entitlements': [
    'entitlements.community.created.v1',
    'entitlements.membership.granted.v1',
    'entitlements.membership.changed.v1',
    'entitlements.membership.revoked.v1',
    'entitlements.subscription.changed.v1',
  ],
  'governance--entitlements': [
    'entitlements.membership.granted.v1',
    'entitlements.membership.changed.v1',
    'entitlements.membership.revoked.v1',
  ],
  'events--entitlements': ['entitlements.membership.changed.v1', 'entitlements.membership.revoked.v1'],
  'events--stripe': ['events.stripe-event.received.v1'],
  'analytics--events': [
    'events.event.scheduled.v1',
    'events.event.updated.v1',
    'events.event.cancelled.v1',
    'events.rsvp.changed.v1',
    'events.attendance.recorded.v1',
  ],
  'tipping--stripe-events': ['tipping.stripe-event.received.v1'],
  'analytics--tipping': ['tipping.tip.received.v1', 'tipping.tip.reversed.v1'],
  'analytics--governance': [
    'governance.proposal.created.v1',
    'governance.vote.cast.v1',
    'governance.proposal.closed.v1',
  ],
  'analytics--analytics': ['analytics.nps.submitted.v1', 'analytics.spend.recorded.v1'],
};

/** Every consumed subject, plus the gateway's (ordered, in-memory) session-revocation feed. */
const CONSUMED_EVENT_SUBJECTS = [
  ...new Set([...Object.values(CONSUMERS).flat(), 'identity.session.revoked.v1']),
];

const HUGE = 512 * 1024;

/** Garbage for an RPC request. */
const RPC_GARBAGE: [string, () => string][] = [
  ['not JSON', () => 'not json {'],
  ['a JSON array', () => '[1,2,3]'],
  ['null', () => 'null'],
  ['unknown fields only', () => '{"unexpected":true,"__proto__":{"admin":true}}'],
  ['wrong types', () => '{"actorId":42,"slug":[],"communityId":{},"memberId":true}'],
  ['NUL in a field', () => '{"slug":"a\\u0000b","actorId":"\\u0000"}'],
  ['lone surrogate', () => '{"slug":"\\udfff"}'],
  ['10,000 nested arrays', () => deeplyNested(10_000, 'array')],
  ['512 KB string', () => JSON.stringify('x'.repeat(HUGE))],
];

/** Garbage for an event subject: `subject` is the logical one, so an envelope can claim it. */
const EVENT_GARBAGE: [string, (subject: string) => string][] = [
  ['not JSON', () => '\u0001\u0002 not json'],
  ['empty object', () => '{}'],
  ['null', () => 'null'],
  ['10,000 nested arrays', () => deeplyNested(10_000, 'array')],
  ['512 KB string', () => JSON.stringify('x'.repeat(HUGE))],
  [
    'envelope of another type',
    (subject) => JSON.stringify(envelope(subject, {}, { type: 'identity.member.registered', version: 9 })),
  ],
  ['envelope with wrong data', (subject) => JSON.stringify(envelope(subject, { wrong: [1, 2, 3] }))],
  ['envelope with data null', (subject) => JSON.stringify(envelope(subject, null))],
  [
    'envelope with a bad id',
    (subject) => JSON.stringify({ ...envelope(subject, {}), id: "1'; DROP TABLE inbox; --" }),
  ],
];

function envelope(subject: string, data: unknown, over: Record<string, unknown> = {}) {
  const type = subject.replace(/\.v\d+$/, '');
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'reliability-test',
    communityId: randomUUID(),
    correlationId: randomUUID(),
    data,
    ...over,
  };
}

let platform: Platform;
let nc: NatsConnection;
const rpcRows: string[][] = [];
const eventRows: string[][] = [];

beforeAll(async () => {
  platform = await startPlatform();
  nc = await connectTestNats();
}, 60_000);
afterAll(async () => {
  await nc?.close();
  await platform?.stop();
  writeArtifact(
    'nats-garbage.md',
    [
      '# Malformed NATS messages',
      '',
      `Generated by tests/reliability/nats-garbage.test.ts on ${new Date().toISOString()}.`,
      '',
      '## RPC subjects',
      '',
      markdownTable(['subject', 'garbage sent', 'answers', 'slowest ms'], rpcRows),
      '',
      '## Consumed event subjects',
      '',
      markdownTable(
        [
          'consumer',
          'stream',
          'delivered',
          'terminated',
          'poison sent to it',
          'redelivered',
          'pending after',
        ],
        eventRows,
      ),
      '',
    ].join('\n'),
  );
});

const ns = () => platform.namespace;

/** Every durable consumer of the namespace has nothing pending and nothing awaiting ack. */
async function drained(): Promise<JsConsumerInfo[]> {
  return eventually(
    async () => {
      const consumers = await namespaceConsumers(nc, ns());
      const stuck = consumers.filter((c) => c.num_pending > 0 || c.num_ack_pending > 0);
      expect(
        stuck.map((c) => `${c.name}: pending ${c.num_pending}, ack pending ${c.num_ack_pending}`),
      ).toEqual([]);
      return consumers;
    },
    { timeoutMs: 15_000 },
  );
}

describe('malformed NATS messages', () => {
  it('every RPC subject answers garbage with a 400-coded error at once, never a timeout', async () => {
    const defs = allRpcDefinitions();
    expect(defs.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const def of defs) {
      const subject = `${ns()}.${def.subject}`;
      const codes = new Map<string, number>();
      let slowest = 0;
      for (const [what, payload] of RPC_GARBAGE) {
        // Only what the contract refuses is garbage (e.g. unknown fields are stripped, not refused).
        const text = payload();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {}
        if (json !== undefined && def.request.safeParse(json).success) continue;
        const started = performance.now();
        let code: string;
        try {
          const reply = await nc.request(subject, text, { timeout: 2_000 });
          code = reply.headers?.get('Nats-Service-Error-Code') || 'ok';
        } catch (error) {
          code = `no answer (${(error as Error).message})`;
        }
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code !== '400') failures.push(`${def.subject} × ${what}: ${code}`);
        if (ms > 1_000) failures.push(`${def.subject} × ${what}: answered in ${Math.round(ms)} ms`);
      }
      rpcRows.push([
        def.subject,
        String(RPC_GARBAGE.length),
        [...codes].map(([c, n]) => `${c}:${n}`).join(' '),
        String(Math.round(slowest)),
      ]);
    }
    recordReliability({
      category: 'input',
      check: `garbage on ${rpcRows.length} NATS RPC subjects (answered 4xx at once)`,
      tried: rpcRows.length * RPC_GARBAGE.length,
      passed: rpcRows.length * RPC_GARBAGE.length - failures.length,
      lost: 0,
    });
    expect(failures).toEqual([]);
  }, 60_000);

  it('terminates poison on every consumed event subject, keeps consuming good events, and no service falls over', async () => {
    const member = platform.browser();
    const owner = platform.browser();
    await signInWithWallet(owner, privateKeyToAccount(generatePrivateKey()));
    await signInWithWallet(member, privateKeyToAccount(generatePrivateKey()));
    const slug = `ng-${Math.random().toString(36).slice(2, 9)}`;
    expect((await owner.post('/v1/communities', { slug, name: 'Garbage-proof' })).statusCode).toBe(201);
    await drained();
    const before = new Map((await namespaceConsumers(nc, ns())).map((c) => [c.name, c]));

    // JetStream announces each `term()` (nats-server ≥ 2.9): the consumers' own count, seen from outside.
    const terminated = new Map<string, number>();
    const advisories = nc.subscribe('$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.>', {
      callback: (_error, msg) => {
        const { stream, consumer } = msg.json<{ stream: string; consumer: string }>();
        if (stream.startsWith(`${ns()}_`)) terminated.set(consumer, (terminated.get(consumer) ?? 0) + 1);
      },
    });
    let published = 0;
    for (const subject of CONSUMED_EVENT_SUBJECTS) {
      for (const [, payload] of EVENT_GARBAGE) {
        await publishToStream(nc, `${ns()}.${subject}`, payload(subject));
        published += 1;
      }
    }
    const after = await drained();

    // Every consumer exists as listed, and terminated exactly the poison on its subjects.
    expect(after.map((c) => c.name.replace(`${ns()}_`, '')).sort()).toEqual(Object.keys(CONSUMERS).sort());
    await eventually(() => {
      expect(Object.fromEntries([...terminated].map(([k, n]) => [k.replace(`${ns()}_`, ''), n]))).toEqual(
        Object.fromEntries(
          Object.entries(CONSUMERS).map(([name, subjects]) => [name, subjects.length * EVENT_GARBAGE.length]),
        ),
      );
      return true;
    });
    advisories.unsubscribe();
    for (const c of after) {
      const was = before.get(c.name);
      const logical = c.name.replace(`${ns()}_`, '');
      eventRows.push([
        logical,
        c.stream_name.replace(`${ns()}_`, ''),
        String(c.delivered.consumer_seq - (was?.delivered.consumer_seq ?? 0)),
        String(terminated.get(c.name) ?? 0),
        String((CONSUMERS[logical]?.length ?? 0) * EVENT_GARBAGE.length),
        String(c.num_redelivered),
        String(c.num_pending + c.num_ack_pending),
      ]);
    }
    expect(published).toBe(CONSUMED_EVENT_SUBJECTS.length * EVENT_GARBAGE.length);
    const terminatedInAll = [...terminated.values()].reduce((n, k) => n + k, 0);
    recordReliability({
      category: 'input',
      check: `poison on ${CONSUMED_EVENT_SUBJECTS.length} consumed event subjects (terminated, never redelivered)`,
      tried: terminatedInAll,
      passed: terminatedInAll - after.reduce((n, c) => n + c.num_redelivered, 0),
      lost: 0,
    });
    // Poison is terminated on first sight: nothing was redelivered.
    expect(after.filter((c) => c.num_redelivered > 0).map((c) => c.name)).toEqual([]);
    // Every consumer saw its share of the garbage (it was not skipped by a dead consumer).
    for (const c of after) {
      expect(c.delivered.consumer_seq, c.name).toBeGreaterThan(
        before.get(c.name)?.delivered.consumer_seq ?? 0,
      );
    }

    // Good events after the garbage are still handled, end to end: an NPS answer reaches
    // analytics' projection (a consumer of the ANALYTICS stream) and shows in the summary.
    const tier = await owner.post(`/v1/communities/${slug}/tiers`, {
      name: 'Everyone here',
      rank: 1,
      gate: { type: 'role', role: 'owner' },
    });
    expect(tier.statusCode, tier.body).toBe(201);
    await owner.post(`/v1/communities/${slug}/membership/refresh`);
    expect((await owner.post(`/v1/communities/${slug}/nps`, { score: 10 })).statusCode).toBe(201);
    await eventually(async () => {
      const summary = await owner.get(`/v1/communities/${slug}/analytics/summary`);
      expect(summary.statusCode, summary.body).toBe(200);
      expect(summary.json<{ nps: number | null }>().nps).toBe(100);
      return true;
    });
    await drained();

    // Nothing fell over.
    const ready = await platform.gateway.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
  }, 60_000);
  it('terminates a schema-valid event the store cannot hold (NUL, lone surrogate) instead of redelivering it forever', async () => {
    const member = randomUUID();
    const community = randomUUID();
    for (const comment of ['a\u0000b', 'lone \udfff']) {
      await publishToStream(
        nc,
        `${ns()}.analytics.nps.submitted.v1`,
        JSON.stringify(
          envelope('analytics.nps.submitted.v1', {
            responseId: randomUUID(),
            communityId: community,
            memberId: member,
            score: 5,
            comment,
          }),
        ),
      );
    }
    const consumers = await drained();
    const analytics = consumers.find((c) => c.name === `${ns()}_analytics--analytics`);
    expect(analytics?.num_redelivered).toBe(0);
    const ready = await platform.gateway.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
  }, 30_000);
});
