import { randomUUID } from 'node:crypto';
import { eventsRpc, membershipChangedV1, rsvpChangedV1 } from '@coterie/contracts';
import { newEvent } from '@coterie/messaging';
import { eventually } from '@coterie/testing';
import { jetstream } from '@nats-io/jetstream';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventsHarness, startEvents } from './harness.ts';

let h: EventsHarness;
beforeAll(async () => {
  h = await startEvents();
});
afterAll(() => h?.close());

const tier = (rank: number) => ({ id: randomUUID(), name: `Rank ${rank}`, rank });

describe('tier-gated visibility', () => {
  it('a member below minTierRank neither sees nor joins the event and never learns its URL', async () => {
    const { communityId, ownerId } = h.community();
    const [low, high, waiting] = [randomUUID(), randomUUID(), randomUUID()];
    h.peers.grant(communityId, low, { tierRank: 1, role: 'member' });
    h.peers.grant(communityId, high, { tierRank: 2, role: 'member' });
    h.peers.grant(communityId, waiting, { tierRank: 3, role: 'member' });
    const gated = await h.createEvent(ownerId, communityId, {
      title: 'Inner circle AMA',
      minTierRank: 2,
      capacity: 1,
    });
    const open = await h.createEvent(ownerId, communityId, { title: 'Open meetup' });
    const titles = async (viewerId?: string) =>
      (await h.rpc.call(eventsRpc.listEvents, { communityId, ...(viewerId ? { viewerId } : {}) })).items.map(
        (e) => e.title,
      );

    expect(await titles()).toEqual(['Open meetup']);
    expect(await titles(low)).toEqual(['Open meetup']);
    expect(await titles(high)).toEqual(['Inner circle AMA', 'Open meetup']);
    expect(await titles(ownerId)).toEqual(['Inner circle AMA', 'Open meetup']);
    await expect(
      h.rpc.call(eventsRpc.getEvent, { communityId, eventId: gated.event.id, viewerId: low }),
    ).rejects.toMatchObject({ code: 'event_not_found', status: 404 });
    await expect(
      h.rpc.call(eventsRpc.rsvp, { actorId: low, communityId, eventId: gated.event.id, status: 'going' }),
    ).rejects.toMatchObject({ code: 'event_not_found' });

    // The URL: hidden until the member holds a seat; always shown to hosts.
    const seen = await h.rpc.call(eventsRpc.getEvent, {
      communityId,
      eventId: gated.event.id,
      viewerId: high,
    });
    expect(seen.event.location).toEqual({ kind: 'online', url: null, address: null, urlHidden: true });
    expect(JSON.stringify(seen)).not.toContain('secret-room');
    expect(gated.event.location.url).toBe('https://meet.example.org/secret-room');
    await h.rpc.call(eventsRpc.rsvp, {
      actorId: high,
      communityId,
      eventId: gated.event.id,
      status: 'going',
    });
    const waitlisted = await h.rpc.call(eventsRpc.rsvp, {
      actorId: waiting,
      communityId,
      eventId: gated.event.id,
      status: 'going',
    });
    expect(waitlisted).toMatchObject({ waitlisted: true, position: 1 });
    const attending = await h.rpc.call(eventsRpc.getEvent, {
      communityId,
      eventId: gated.event.id,
      viewerId: high,
    });
    expect(attending.event.location.url).toBe('https://meet.example.org/secret-room');
    const list = await h.rpc.call(eventsRpc.listEvents, { communityId, viewerId: waiting });
    expect(list.items.find((e) => e.id === gated.event.id)?.location.url).toBeNull();
    expect(open.event.minTierRank).toBeNull();

    // Losing the tier (entitlements says so, then publishes the change) withdraws the RSVP and
    // gives the seat to the waitlist.
    h.peers.grant(communityId, high, { tierRank: 1, role: 'member' });
    const js = jetstream(h.nc);
    const change = newEvent(
      membershipChangedV1,
      { communityId, memberId: high, version: 2, tier: tier(1), previousTier: tier(2), via: [] },
      { source: 'entitlements', communityId },
    );
    await js.publish(h.naming.subject(membershipChangedV1.subject), JSON.stringify(change), {
      msgID: change.id,
    });
    await eventually(async () => {
      const view = await h.rpc.call(eventsRpc.getEvent, {
        communityId,
        eventId: gated.event.id,
        viewerId: waiting,
      });
      return view.event.viewer?.rsvp?.seat === 'confirmed';
    });
    await expect(
      h.rpc.call(eventsRpc.getEvent, { communityId, eventId: gated.event.id, viewerId: high }),
    ).rejects.toMatchObject({ code: 'event_not_found' });
    const changes = await eventually(async () => {
      const all = (await h.published(rsvpChangedV1.subject))
        .map((e) => rsvpChangedV1.data.parse(e.data))
        .filter((d) => d.eventId === gated.event.id && d.cause !== 'member');
      if (!(all.length === 2)) throw new Error('not yet');
      return all;
    });
    expect(changes.map((c) => [c.memberId, c.cause, c.status])).toEqual([
      [high, 'access-lost', 'declined'],
      [waiting, 'promotion', 'going'],
    ]);
  });
});

describe('iCalendar feeds', () => {
  it('renders 09:00 Europe/Warsaw on the Monday after the March switch as 07:00Z, parsed independently', async () => {
    const { communityId, ownerId, memberIds } = h.community(1);
    const member = memberIds[0] as string;
    const warsaw = await h.createEvent(ownerId, communityId, {
      title: 'Standup, Warsaw; spring edition',
      description: `Agenda:\n- DST\n- ${'Zażółć gęślą jaźń 🎉 '.repeat(8)}`,
      startsAt: '2027-03-29T09:00:00+02:00',
      endsAt: '2027-03-29T10:30:00+02:00',
      timezone: 'Europe/Warsaw',
    });
    const gated = await h.createEvent(ownerId, communityId, { title: 'Members only', minTierRank: 1 });
    const venue = await h.createEvent(ownerId, communityId, {
      title: 'Dinner',
      location: { kind: 'venue', address: 'Nowy Świat 1, Warszawa' },
    });
    await h.rpc.call(eventsRpc.updateEvent, {
      actorId: ownerId,
      communityId,
      eventId: venue.event.id,
      patch: { title: 'Dinner (moved)' },
    });
    await h.rpc.call(eventsRpc.cancelEvent, { actorId: ownerId, communityId, eventId: venue.event.id });

    const { ics } = await h.rpc.call(eventsRpc.communityCalendar, {
      communityId,
      calendarName: 'Warsaw club',
    });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('secret-room');
    expect(ics).not.toContain(gated.event.id);

    const vevents = new ICAL.Component(ICAL.parse(ics))
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c));
    const byUid = new Map(vevents.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual(
      [`${warsaw.event.id}@coterie`, `${venue.event.id}@coterie`].sort(),
    );
    const w = byUid.get(`${warsaw.event.id}@coterie`) as ICAL.Event;
    expect(w.startDate.toJSDate().toISOString()).toBe('2027-03-29T07:00:00.000Z');
    expect(w.endDate.toJSDate().toISOString()).toBe('2027-03-29T08:30:00.000Z');
    expect(w.summary).toBe('Standup, Warsaw; spring edition');
    expect(w.description).toContain('Mon 29 Mar 2027, 09:00 CEST');
    expect(w.description).toContain('Zażółć gęślą jaźń 🎉');
    expect(w.location).toBe('Online');
    expect(w.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const d = byUid.get(`${venue.event.id}@coterie`) as ICAL.Event;
    expect(d.sequence).toBe(2);
    expect(d.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(d.location).toBe('Nowy Świat 1, Warszawa');

    // The private feed: a revocable token, the member's going/maybe events, the URL once seated.
    const { token } = await h.rpc.call(eventsRpc.calendarToken, { actorId: member, action: 'rotate' });
    await h.rpc.call(eventsRpc.rsvp, {
      actorId: member,
      communityId,
      eventId: warsaw.event.id,
      status: 'going',
    });
    await h.rpc.call(eventsRpc.rsvp, {
      actorId: member,
      communityId,
      eventId: gated.event.id,
      status: 'maybe',
    });
    const mine = (await h.rpc.call(eventsRpc.memberCalendar, { token: token as string })).ics;
    const myEvents = new ICAL.Component(ICAL.parse(mine))
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c));
    expect(myEvents.map((e) => e.summary).sort()).toEqual([
      'Members only',
      'Standup, Warsaw; spring edition',
    ]);
    const seated = myEvents.find((e) => e.summary.startsWith('Standup')) as ICAL.Event;
    expect(seated.component.getFirstPropertyValue('url')).toBe('https://meet.example.org/secret-room');
    const maybe = myEvents.find((e) => e.summary === 'Members only') as ICAL.Event;
    expect(maybe.component.getFirstPropertyValue('url')).toBeNull();

    const rotated = await h.rpc.call(eventsRpc.calendarToken, { actorId: member, action: 'rotate' });
    await expect(h.rpc.call(eventsRpc.memberCalendar, { token: token as string })).rejects.toMatchObject({
      code: 'calendar_token_invalid',
      status: 404,
    });
    await h.rpc.call(eventsRpc.memberCalendar, { token: rotated.token as string });
    await h.rpc.call(eventsRpc.calendarToken, { actorId: member, action: 'revoke' });
    await expect(
      h.rpc.call(eventsRpc.memberCalendar, { token: rotated.token as string }),
    ).rejects.toMatchObject({
      code: 'calendar_token_invalid',
    });
  });

  it('refuses an unknown time zone and an end before the start', async () => {
    const { communityId, ownerId } = h.community();
    await expect(h.createEvent(ownerId, communityId, { timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
    });
    await expect(
      h.createEvent(ownerId, communityId, {
        startsAt: '2027-01-01T10:00:00Z',
        endsAt: '2027-01-01T09:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'invalid_schedule', status: 400 });
    const canon = await h.createEvent(ownerId, communityId, { timezone: 'europe/berlin' });
    expect(canon.event.timezone).toBe('Europe/Berlin');
  });
});
