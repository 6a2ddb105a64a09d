import { randomUUID } from 'node:crypto';
import { analyticsRpc, memberErasedV1 } from '@coterie/contracts';
import { newEvent } from '@coterie/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/rebuild.ts';
import { type AnalyticsFixture, analyticsFixture } from '../factories/analytics-fixture.ts';

let f: AnalyticsFixture;
const communityId = randomUUID();
const memberId = randomUUID();
const exported = () => f.rpc.call(analyticsRpc.exportMemberData, { memberId });

beforeAll(async () => {
  f = await analyticsFixture();
  f.entitlements.addMember(memberId);
});
afterAll(() => f?.close());

describe('identity.member.erased.v1 in the projections', () => {
  it('exports the member’s NPS answer, scrubs its comment on erasure, once, and keeps it scrubbed through a rebuild', async () => {
    await f.rpc.call(analyticsRpc.submitNps, {
      actorId: memberId,
      communityId,
      score: 7,
      comment: 'Call me Bob',
    });
    await f.caughtUp();
    expect((await exported()).npsResponses).toMatchObject([
      { communityId, score: 7, comment: 'Call me Bob' },
    ]);

    const erased = newEvent(
      memberErasedV1,
      { memberId, requestedAt: new Date().toISOString() },
      { source: 'identity' },
    );
    await f.publish([erased]);
    await f.publish([erased], { redeliver: true });
    await f.caughtUp();
    expect((await exported()).npsResponses).toMatchObject([{ communityId, score: 7, comment: null }]);

    // A rebuild replays the answer (with its comment) and the erasure, in whatever order.
    await rebuildProjections({ config: f.config });
    expect((await exported()).npsResponses).toMatchObject([{ communityId, score: 7, comment: null }]);
  });
});
