import { randomUUID } from 'node:crypto';
import {
  communityCreatedV1,
  type MembershipView,
  membershipGrantedV1,
  roleChangedV1,
  stripeEventReceived,
  tierUpdatedV1,
} from '@coterie/contracts';
import { describe, expect, it } from 'vitest';
import { createMembershipCache } from './membership-cache.ts';

const ALICE = randomUUID();
const BOB = randomUUID();
const COMMUNITY = randomUUID();
const TIER = { id: randomUUID(), name: 'Gold', rank: 2 };

const view = (tier: MembershipView['tier']): MembershipView => ({
  tier,
  via: [],
  checkedAt: '2026-11-25T12:00:00.000Z',
  validUntil: null,
});

function envelope(subject: string, data: unknown) {
  return {
    id: randomUUID(),
    type: subject.replace(/\.v\d+$/, ''),
    version: 1,
    occurredAt: '2026-11-25T12:00:00.000Z',
    source: 'entitlements',
    communityId: COMMUNITY,
    correlationId: randomUUID(),
    data,
  };
}

function setup() {
  const clock = { t: 0 };
  const cache = createMembershipCache({ ttlMs: 5_000, maxEntries: 100, now: () => clock.t });
  cache.setEnabled(true);
  const calls: string[] = [];
  const answers = new Map<string, MembershipView>();
  const read = (slug: string, memberId: string) =>
    cache.get(slug, memberId, async () => {
      calls.push(`${slug}/${memberId}`);
      return answers.get(memberId) ?? view(null);
    });
  return { clock, cache, calls, answers, read };
}

describe('membership cache', () => {
  it('answers repeated reads from memory, per community and member, until the TTL', async () => {
    const { clock, calls, read } = setup();
    await read('a', ALICE);
    await read('a', ALICE);
    await read('b', ALICE);
    await read('a', BOB);
    expect(calls).toEqual([`a/${ALICE}`, `b/${ALICE}`, `a/${BOB}`]);
    clock.t += 5_000;
    await read('a', ALICE);
    expect(calls).toHaveLength(4);
  });

  it("forgets a member's entries when entitlements says their membership or role changed", async () => {
    const { cache, calls, answers, read } = setup();
    await read('a', ALICE);
    await read('a', BOB);
    answers.set(ALICE, view(TIER));
    cache.onEvent(
      membershipGrantedV1.subject,
      envelope(membershipGrantedV1.subject, {
        communityId: COMMUNITY,
        memberId: ALICE,
        version: 1,
        tier: TIER,
        via: [],
      }),
    );
    expect((await read('a', ALICE)).tier).toEqual(TIER);
    await read('a', BOB);
    expect(calls).toEqual([`a/${ALICE}`, `a/${BOB}`, `a/${ALICE}`]);

    cache.onEvent(
      roleChangedV1.subject,
      envelope(roleChangedV1.subject, {
        communityId: COMMUNITY,
        memberId: BOB,
        role: 'moderator',
        previousRole: 'member',
        changedBy: ALICE,
        version: 1,
      }),
    );
    await read('a', BOB);
    expect(calls).toHaveLength(4);
  });

  it('forgets everyone when a tier changes, and nobody when a community is created or a webhook stored', async () => {
    const { cache, calls, read } = setup();
    await read('a', ALICE);
    cache.onEvent(communityCreatedV1.subject, {});
    cache.onEvent(stripeEventReceived('entitlements').subject, {});
    await read('a', ALICE);
    expect(calls).toHaveLength(1);
    cache.onEvent(tierUpdatedV1.subject, {});
    await read('a', ALICE);
    expect(calls).toHaveLength(2);
  });

  it('throws on an unreadable member event (the feed then drops the cache)', () => {
    const { cache } = setup();
    expect(() => cache.onEvent(membershipGrantedV1.subject, { data: { memberId: 'nope' } })).toThrow();
  });

  it('does not keep an answer loaded while the member was forgotten', async () => {
    const { cache, calls, read } = setup();
    let release: (v: MembershipView) => void = () => {};
    const slow = cache.get('a', ALICE, () => new Promise((resolve) => (release = resolve)));
    cache.forget(ALICE);
    release(view(null));
    await slow;
    await read('a', ALICE);
    expect(calls).toEqual([`a/${ALICE}`]);
  });

  it('shares one load between concurrent misses, and caches nothing while the feed is down', async () => {
    const { cache, calls, read } = setup();
    await Promise.all([read('a', ALICE), read('a', ALICE), read('a', ALICE)]);
    expect(calls).toHaveLength(1);
    cache.setEnabled(false);
    expect(cache.size).toBe(0);
    await read('a', ALICE);
    await read('a', ALICE);
    expect(calls).toHaveLength(3);
  });
});
