import { eventsRpc, rsvpChangedV1 } from '@coterie/contracts';
import { eventually } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventsHarness, startEvents } from './harness.ts';

let h: EventsHarness;
beforeAll(async () => {
  h = await startEvents();
});
afterAll(() => h?.close());

describe('RSVPs with capacity and a FIFO waitlist', () => {
  it('never over-books: 50 concurrent going for 10 seats, then 3 cancellations promote the next 3', async () => {
    const { communityId, ownerId, memberIds } = h.community(50);
    const { event } = await h.createEvent(ownerId, communityId, { capacity: 10 });
    const rsvp = (actorId: string, status: 'going' | 'maybe' | 'declined') =>
      h.rpc.call(eventsRpc.rsvp, { actorId, communityId, eventId: event.id, status });

    const answers = await Promise.all(memberIds.map((id) => rsvp(id, 'going')));
    const seated = memberIds.filter((_, i) => !answers[i]?.waitlisted);
    const waiting = memberIds
      .map((id, i) => ({ id, position: answers[i]?.position }))
      .filter((w) => w.position !== undefined)
      .sort((a, b) => (a.position as number) - (b.position as number));
    expect(seated).toHaveLength(10);
    expect(answers.filter((a) => a.seat === 'confirmed')).toHaveLength(10);
    expect(waiting.map((w) => w.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const view = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: ownerId });
    expect(view.event).toMatchObject({ goingCount: 10, waitlistCount: 40, seatsLeft: 0 });

    // Idempotent: the same RSVP again changes nothing, for a seated and a waitlisted member.
    // Wait for the 50 RSVP changes to be relayed, so what follows is counted on its own.
    const before = await eventually(async () => {
      const n = (await h.published(rsvpChangedV1.subject)).length;
      if (n !== 50) throw new Error(`${n} published`);
      return n;
    });
    expect(await rsvp(seated[0] as string, 'going')).toMatchObject({ seat: 'confirmed', waitlisted: false });
    expect(await rsvp(waiting[5]?.id as string, 'going')).toMatchObject({ waitlisted: true, position: 6 });

    // Three seated members leave (concurrently): exactly the first three in line move up.
    await Promise.all([
      rsvp(seated[0] as string, 'declined'),
      rsvp(seated[1] as string, 'maybe'),
      rsvp(seated[2] as string, 'declined'),
    ]);
    for (const w of waiting.slice(0, 3)) {
      const mine = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: w.id });
      expect(mine.event.viewer?.rsvp).toMatchObject({
        status: 'going',
        seat: 'confirmed',
        waitlisted: false,
      });
      expect(mine.event.location.url).toBe('https://meet.example.org/secret-room');
    }
    const fourth = await h.rpc.call(eventsRpc.getEvent, {
      communityId,
      eventId: event.id,
      viewerId: waiting[3]?.id as string,
    });
    expect(fourth.event.viewer?.rsvp).toMatchObject({ waitlisted: true, position: 1 });
    expect(fourth.event.location).toMatchObject({ url: null, urlHidden: true });
    const after = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: ownerId });
    expect(after.event).toMatchObject({ goingCount: 10, waitlistCount: 37 });

    // Published: 3 member changes + 3 promotions, nothing for the repeated RSVPs.
    const changes = await eventually(async () => {
      const all = (await h.published(rsvpChangedV1.subject)).slice(before);
      if (!(all.length >= 6)) throw new Error('not yet');
      return all;
    });
    const promotions = changes
      .map((e) => rsvpChangedV1.data.parse(e.data))
      .filter((d) => d.cause === 'promotion');
    expect(promotions.map((p) => p.memberId).sort()).toEqual(
      waiting
        .slice(0, 3)
        .map((w) => w.id)
        .sort(),
    );
    expect(promotions.every((p) => p.capacity === 10 && p.goingCount <= 10)).toBe(true);
    expect(changes).toHaveLength(6);

    // Everyone promoted is told.
    for (const w of waiting.slice(0, 3)) {
      await h.app.runMaintenance();
      const mail = await h.inbox.waitFor(h.peers.emails.get(w.id) as string);
      expect(mail.subject).toContain('A seat opened up');
    }
  });

  it('raising the capacity promotes from the waitlist; lowering it below the seats taken is refused', async () => {
    const { communityId, ownerId, memberIds } = h.community(4);
    const { event } = await h.createEvent(ownerId, communityId, { capacity: 2 });
    for (const id of memberIds) {
      await h.rpc.call(eventsRpc.rsvp, { actorId: id, communityId, eventId: event.id, status: 'going' });
    }
    await expect(
      h.rpc.call(eventsRpc.updateEvent, {
        actorId: ownerId,
        communityId,
        eventId: event.id,
        patch: { capacity: 1 },
      }),
    ).rejects.toMatchObject({ code: 'capacity_too_small', status: 409 });
    const updated = await h.rpc.call(eventsRpc.updateEvent, {
      actorId: ownerId,
      communityId,
      eventId: event.id,
      patch: { capacity: 3 },
    });
    expect(updated.event).toMatchObject({ goingCount: 3, waitlistCount: 1, sequence: 1 });
    await expect(
      h.rpc.call(eventsRpc.updateEvent, {
        actorId: memberIds[0] as string,
        communityId,
        eventId: event.id,
        patch: { title: 'mine now' },
      }),
    ).rejects.toMatchObject({ code: 'not_a_host', status: 403 });
  });

  it('checks attendees in by host and by their own code, once, and publishes attendance', async () => {
    const { communityId, ownerId, memberIds } = h.community(2);
    const [a, b] = memberIds as [string, string];
    const startsAt = new Date(h.clock.now().getTime() + 30 * 60_000);
    const { event } = await h.createEvent(ownerId, communityId, {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    });
    for (const id of [a, b]) {
      await h.rpc.call(eventsRpc.rsvp, { actorId: id, communityId, eventId: event.id, status: 'going' });
    }
    const first = await h.rpc.call(eventsRpc.checkIn, {
      actorId: ownerId,
      communityId,
      eventId: event.id,
      memberId: a,
    });
    expect(first).toMatchObject({ memberId: a, method: 'host', alreadyCheckedIn: false });
    const again = await h.rpc.call(eventsRpc.checkIn, {
      actorId: ownerId,
      communityId,
      eventId: event.id,
      memberId: a,
    });
    expect(again.alreadyCheckedIn).toBe(true);

    const mine = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: b });
    const code = mine.event.viewer?.rsvp?.checkInCode as string;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    await expect(
      h.rpc.call(eventsRpc.selfCheckIn, { actorId: b, communityId, eventId: event.id, code: 'WRONGCODE' }),
    ).rejects.toMatchObject({ code: 'check_in_code_invalid' });
    await expect(
      h.rpc.call(eventsRpc.checkIn, { actorId: b, communityId, eventId: event.id, memberId: a }),
    ).rejects.toMatchObject({ code: 'not_a_host' });
    const self = await h.rpc.call(eventsRpc.selfCheckIn, {
      actorId: b,
      communityId,
      eventId: event.id,
      code: code.toLowerCase(),
    });
    expect(self).toMatchObject({ memberId: b, method: 'code', alreadyCheckedIn: false });

    const recorded = await eventually(async () => {
      const all = (await h.published('events.attendance.recorded.v1')).filter(
        (e) => (e.data as { eventId: string }).eventId === event.id,
      );
      if (!(all.length === 2)) throw new Error('not yet');
      return all;
    });
    expect(recorded.map((e) => e.data)).toMatchObject([
      { memberId: a, method: 'host', attendedCount: 1, goingCount: 2, communityId },
      { memberId: b, method: 'code', attendedCount: 2, goingCount: 2, communityId },
    ]);
  });

  it('refuses a ticketed event with 409 stripe_not_configured when the server has no Stripe key', async () => {
    const { communityId, ownerId } = h.community();
    await expect(
      h.createEvent(ownerId, communityId, { ticket: { value: '1500', currency: 'usd' } }),
    ).rejects.toMatchObject({ code: 'stripe_not_configured', status: 409 });
  });
});
