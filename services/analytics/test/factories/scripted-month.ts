import { randomUUID } from 'node:crypto';
import {
  attendanceRecordedV1,
  communityCreatedV1,
  type Envelope,
  type EventData,
  type EventDefinition,
  eventScheduledV1,
  memberSignedInV1,
  membershipGrantedV1,
  membershipRevokedV1,
  proposalClosedV1,
  proposalCreatedV1,
  rsvpChangedV1,
  subscriptionChangedV1,
  tipReceivedV1,
  tipReversedV1,
  voteCastV1,
} from '@coterie/contracts';
import { newEvent } from '@coterie/messaging';

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
const tier = { id: randomUUID(), name: 'Supporter', rank: 1 };
const address = () => `0x${randomUUID().replaceAll('-', '')}${'0'.repeat(8)}`;

export const MEMBER_NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] as const;
export type MemberName = (typeof MEMBER_NAMES)[number];

/**
 * November 2026 in one community, hand-computed (the subscriptions are those of the KPI unit
 * test's month). Memberships: a b c e f since 1 Oct (e lapsed 2 Oct, back 15 Nov; c left 21 Nov),
 * h d i joined 2–4 Nov, g on 25 Nov. Sign-ins, tips, RSVPs, check-ins and votes make
 * a b c d g h i active in November (see `expected` below for the arithmetic).
 */
export function scriptedMonth() {
  const communityId = randomUUID();
  const ownerId = randomUUID();
  const m = Object.fromEntries(MEMBER_NAMES.map((n) => [n, randomUUID()])) as Record<MemberName, string>;
  const wallet = Object.fromEntries(MEMBER_NAMES.map((n) => [n, address()])) as Record<MemberName, string>;
  const events: Envelope[] = [];
  const emit = <D extends EventDefinition>(def: D, data: EventData<D>, when: string, source: string) => {
    const event = newEvent(def, data, { source, communityId, occurredAt: at(when) });
    events.push(event);
    return event;
  };

  emit(
    communityCreatedV1,
    { communityId, slug: 'scripted', name: 'Scripted', ownerId },
    '2026-10-01T08:00:00Z',
    'entitlements',
  );

  // Memberships (version per member).
  const grant = (n: MemberName, when: string, version = 1) =>
    emit(membershipGrantedV1, { communityId, memberId: m[n], version, tier, via: [] }, when, 'entitlements');
  const revoke = (n: MemberName, when: string, version: number) =>
    emit(
      membershipRevokedV1,
      { communityId, memberId: m[n], version, previousTier: tier, via: [] },
      when,
      'entitlements',
    );
  for (const n of ['a', 'b', 'c', 'e', 'f'] as const) grant(n, '2026-10-01');
  revoke('e', '2026-10-02', 2);
  grant('h', '2026-11-02');
  grant('d', '2026-11-03');
  grant('i', '2026-11-04');
  grant('e', '2026-11-15', 3);
  revoke('c', '2026-11-21', 2);
  grant('g', '2026-11-25');

  // Subscriptions: a upgrades, b downgrades then past_due, c's yearly plan churns, d starts yearly,
  // e reactivates, f and g pay in EUR.
  const subs: Record<string, string> = {};
  const sub = (
    key: string,
    n: MemberName,
    day: string,
    status: 'active' | 'canceled' | 'past_due',
    value: number,
    interval: 'month' | 'year' = 'month',
    currency = 'usd',
  ) => {
    subs[key] ??= randomUUID();
    emit(
      subscriptionChangedV1,
      {
        subscriptionId: subs[key],
        communityId,
        memberId: m[n],
        tierId: tier.id,
        status,
        previousStatus: null,
        priceId: `price_${key}_${value}`,
        interval,
        amount: { value: String(value), currency },
        currentPeriodEnd: null,
      },
      day,
      'entitlements',
    );
  };
  sub('c', 'c', '2026-09-01', 'active', 12_000, 'year');
  sub('e1', 'e', '2026-09-10', 'active', 500);
  sub('e1', 'e', '2026-10-01', 'canceled', 500);
  sub('a', 'a', '2026-10-01', 'active', 1000);
  sub('b', 'b', '2026-10-05', 'active', 2000);
  sub('f', 'f', '2026-10-01', 'active', 900, 'month', 'eur');
  sub('d', 'd', '2026-11-03', 'active', 10_000, 'year');
  sub('a', 'a', '2026-11-10', 'active', 2500);
  sub('b', 'b', '2026-11-12', 'active', 1500);
  sub('e2', 'e', '2026-11-15', 'active', 700);
  sub('c', 'c', '2026-11-20', 'canceled', 12_000, 'year');
  sub('g', 'g', '2026-11-25', 'active', 1100, 'month', 'eur');
  sub('b', 'b', '2026-11-28', 'past_due', 1500);

  // Sign-ins (g's on 24 Nov is before g joined: not activity in this community).
  const signIn = (n: MemberName, when: string) =>
    emit(memberSignedInV1, { memberId: m[n], sessionId: randomUUID(), method: 'siwe' }, when, 'identity');
  signIn('a', '2026-11-28T09:00:00Z');
  signIn('a', '2026-11-30T09:00:00Z');
  signIn('b', '2026-11-30T10:00:00Z');
  signIn('c', '2026-11-28T10:00:00Z');
  signIn('e', '2026-10-01T13:00:00Z');
  signIn('g', '2026-11-24T09:00:00Z');
  signIn('g', '2026-11-27T09:00:00Z');

  // Tips: h 5.00 USD, a 1 ETH, b 3.00 USD refunded two days later.
  const tip = (
    n: MemberName,
    when: string,
    amount: EventData<typeof tipReceivedV1>['amount'],
    asset: string,
  ) => {
    const data = {
      tipId: randomUUID(),
      communityId,
      kind: 'tip' as const,
      rail: asset.startsWith('fiat:') ? ('fiat' as const) : ('crypto' as const),
      from: m[n],
      to: 'creator' as const,
      amount,
      asset,
      creditId: randomUUID(),
      occurredAt: at(when).toISOString(),
    };
    emit(tipReceivedV1, data, when, 'tipping');
    return data;
  };
  tip('h', '2026-11-25', { value: '500', currency: 'usd' }, 'fiat:usd');
  tip(
    'a',
    '2026-11-20',
    { value: '1000000000000000000', chainId: 31337, token: 'native', decimals: 18 },
    'native:31337',
  );
  const refunded = tip('b', '2026-11-12', { value: '300', currency: 'usd' }, 'fiat:usd');
  emit(
    tipReversedV1,
    { ...refunded, reversalId: randomUUID(), reason: 'refunded', occurredAt: at('2026-11-14').toISOString() },
    '2026-11-14',
    'tipping',
  );

  // Events: E1 on 15 Nov (a b d going; a and d checked in), E2 in December (i going).
  const scheduled = (startsAt: string) => {
    const eventId = randomUUID();
    emit(
      eventScheduledV1,
      {
        eventId,
        communityId,
        title: 'Meetup',
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 7_200_000).toISOString(),
        timezone: 'UTC',
        locationKind: 'online',
        capacity: null,
        minTierRank: null,
        ticket: null,
        sequence: 0,
        occurredAt: at('2026-11-01').toISOString(),
        createdBy: ownerId,
      },
      '2026-11-01',
      'events',
    );
    return eventId;
  };
  const e1 = scheduled('2026-11-15T18:00:00.000Z');
  const e2 = scheduled('2026-12-05T18:00:00.000Z');
  const rsvp = (eventId: string, n: MemberName, day: string, goingCount: number) =>
    emit(
      rsvpChangedV1,
      {
        eventId,
        communityId,
        memberId: m[n],
        status: 'going',
        previousStatus: null,
        seat: 'confirmed',
        previousSeat: null,
        waitlisted: false,
        position: null,
        cause: 'member',
        goingCount,
        heldCount: 0,
        waitlistCount: 0,
        capacity: null,
        occurredAt: at(day).toISOString(),
      },
      day,
      'events',
    );
  rsvp(e1, 'a', '2026-11-05', 1);
  rsvp(e1, 'b', '2026-11-06', 2);
  rsvp(e1, 'd', '2026-11-07', 3);
  rsvp(e2, 'i', '2026-11-29', 1);
  const checkIn = (n: MemberName, when: string, attendedCount: number) =>
    emit(
      attendanceRecordedV1,
      {
        eventId: e1,
        communityId,
        memberId: m[n],
        method: 'host',
        checkedInBy: ownerId,
        attendedCount,
        goingCount: 3,
        capacity: null,
        occurredAt: at(when).toISOString(),
      },
      when,
      'events',
    );
  checkIn('a', '2026-11-15T18:05:00Z', 1);
  checkIn('d', '2026-11-15T18:10:00Z', 2);

  // Governance: one tier-member proposal (8 eligible on 20 Nov), voters a b d (a votes twice).
  const proposalId = randomUUID();
  emit(
    proposalCreatedV1,
    {
      proposalId,
      communityId,
      title: 'Pick the next topic',
      type: 'single-choice',
      choices: ['Yes', 'No'],
      startsAt: at('2026-11-20').toISOString(),
      endsAt: at('2026-11-27T23:00:00Z').toISOString(),
      strategy: { kind: 'tier-member', params: { minRank: 1 } },
      quorum: { kind: 'absolute', value: '1' },
      quorumRequired: '1',
      chainId: 31337,
      snapshotBlock: '1',
      createdBy: ownerId,
    },
    '2026-11-20',
    'governance',
  );
  const vote = (n: MemberName, day: string, replaced = false) =>
    emit(
      voteCastV1,
      {
        proposalId,
        communityId,
        voter: wallet[n],
        memberId: m[n],
        choice: '1',
        power: '1',
        timestamp: Math.floor(at(day).getTime() / 1000),
        replaced,
      },
      day,
      'governance',
    );
  vote('a', '2026-11-22');
  vote('b', '2026-11-22');
  vote('d', '2026-11-22');
  vote('a', '2026-11-23', true);
  emit(
    proposalClosedV1,
    {
      proposalId,
      communityId,
      tally: { unit: 'power', scores: ['2', '1'], totalPower: '3', votes: 3 },
      quorumRequired: '1',
      quorumReached: true,
      winners: [1],
      closedAt: at('2026-11-28T00:00:00Z').toISOString(),
    },
    '2026-11-28T00:00:00Z',
    'governance',
  );

  // Arrives last and late: d's sign-in of 10 Nov.
  const late = newEvent(
    memberSignedInV1,
    { memberId: m.d, sessionId: randomUUID(), method: 'email' },
    { source: 'identity', occurredAt: at('2026-11-10T08:00:00Z') },
  );

  return { communityId, ownerId, members: m, events, late };
}

/**
 * The summary of [2026-11-01, 2026-12-01) once the NPS answers (a 10 and b 9 on 30 Nov, c 3 on
 * 28 Nov) and the spend (USD 100.00 for November) are in.
 *
 * - MRR/ARPU/LTV/revenue churn: the KPI unit test's month (USD 5533, 1383, 3688, 0.375; EUR 2000, 1000).
 * - Logo churn across currencies: a b c f paid on 1 Nov, c pays nothing on 1 Dec → 1/4.
 * - Active as of 30 Nov: a {5,15,20,22,23,28,30} b {6,12,22,30} c {28} d {7,10,15,22} g {27} h {25}
 *   i {29}: DAU 2 (a b), WAU 6 (a b c g h i), MAU 7, stickiness (19 member-days / 30) / 7 = 0.0905.
 * - Conversion: joined in Nov h d i g, paid d g → 0.5. CAC: 10000 / 2 new customers (d, g) = 5000.
 * - NPS: promoters a b, detractor c → (2 − 1) / 3 = 33. Tips: h's 500 USD and a's 1 ETH; b's refunded.
 * - Attendance: E1 a b d going, a d attended → 0.6667. Participation: 3 voters / 8 eligible.
 */
export const expectedNovember = {
  mrr: { eur: '2000', usd: '5533' },
  arpu: { eur: '1000', usd: '1383' },
  ltv: { eur: null, usd: '3688' },
  churn: { logo: 0.25, revenue: { eur: 0, usd: 0.375 } },
  active: { dau: 2, wau: 6, mau: 7, stickiness: 0.0905 },
  conversion: 0.5,
  cac: { usd: '5000' },
  nps: 33,
  tips: { count: 2, fiat: { usd: '500' }, crypto: { 'native:31337': '1000000000000000000' }, reversed: 1 },
  events: { attendanceRate: 0.6667 },
  governance: { participation: 0.375 },
};
