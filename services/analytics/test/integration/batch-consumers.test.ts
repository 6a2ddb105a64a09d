import { analyticsRpc, type Context, type Envelope, eventSubject } from '@coterie/contracts';
import type { BatchItem } from '@coterie/messaging';
import type { ConsumerSpec } from '@coterie/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventConsumers, PROJECTORS, projectorsBySubject } from '../../src/handlers/events/index.ts';
import { type AnalyticsFixture, analyticsFixture } from '../factories/analytics-fixture.ts';
import { expectedNovember, MEMBER_NAMES, scriptedMonth } from '../factories/scripted-month.ts';

let f: AnalyticsFixture;
const month = scriptedMonth();
const november = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const summary = () =>
  f.rpc.call(analyticsRpc.summary, { actorId: month.ownerId, communityId: month.communityId, ...november });

const contextOf = (event: Envelope) =>
  (Object.keys(PROJECTORS) as Context[]).find((c) =>
    PROJECTORS[c].some((p) => p.def.subject === eventSubject(event.type, event.version)),
  ) as Context;

/** What the consumer of each stream would hand over if these events arrived as one burst. */
async function applyAsBursts(consumers: ConsumerSpec[], events: readonly Envelope[]): Promise<void> {
  for (const spec of consumers) {
    const items = events
      .filter((e) => contextOf(e) === spec.context)
      .map(
        (event): BatchItem => ({
          event,
          def: projectorsBySubject.get(eventSubject(event.type, event.version))?.def as BatchItem['def'],
          deliveryCount: 1,
          inTrace: (fn) => fn(),
        }),
      );
    if (items.length > 0) await spec.handleBatch?.(items, { working: () => {} });
  }
}

beforeAll(async () => {
  f = await analyticsFixture();
  f.entitlements.setRole(month.ownerId, 'owner');
  for (const n of MEMBER_NAMES) f.entitlements.addMember(month.members[n]);
});
afterAll(() => f?.close());

describe('analytics consumers in batch mode', () => {
  it('project a burst, many event types per transaction, to the same summary as one at a time', async () => {
    const pool = f.app.running?.runtime.pool;
    if (!pool) throw new Error('not started');
    const consumers = eventConsumers(pool);
    // Newest first, as in the one-at-a-time test; the late sign-in in a batch of its own.
    await applyAsBursts(consumers, [...month.events].reverse());
    await applyAsBursts(consumers, [month.late]);
    const answer = async (name: 'a' | 'b' | 'c', when: string, score: number) => {
      f.clock.now = new Date(when);
      await f.rpc.call(analyticsRpc.submitNps, {
        actorId: month.members[name],
        communityId: month.communityId,
        score,
      });
    };
    await answer('c', '2026-11-28T11:00:00Z', 3);
    await answer('a', '2026-11-30T11:00:00Z', 10);
    await answer('b', '2026-11-30T11:05:00Z', 9);
    await f.rpc.call(analyticsRpc.recordSpend, {
      actorId: month.ownerId,
      communityId: month.communityId,
      month: '2026-11',
      amount: { value: '10000', currency: 'usd' },
    });
    await f.caughtUp();
    expect(await summary()).toEqual(expectedNovember);

    // The same bursts again (redelivered after a lost ack): the inbox keeps them out.
    await applyAsBursts(consumers, [...month.events, month.late]);
    expect(await summary()).toEqual(expectedNovember);
  });
});
