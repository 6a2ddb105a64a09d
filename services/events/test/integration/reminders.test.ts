import { eventsRpc } from '@coterie/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventsHarness, startEvents } from './harness.ts';

let h: EventsHarness;
beforeAll(async () => {
  h = await startEvents();
});
afterAll(() => h?.close());

const HOUR = 3_600_000;

describe('reminders', () => {
  it('mails each attendee exactly one 24 h and one 1 h reminder, across restarts and competing replicas', async () => {
    const { communityId, ownerId, memberIds } = h.community(3);
    const [a, b, quitter] = memberIds as [string, string, string];
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 24 * HOUR) / 60_000) * 60_000);
    const { event } = await h.createEvent(ownerId, communityId, {
      title: 'Workshop',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
      timezone: 'Europe/Warsaw',
    });
    for (const id of [a, b, quitter]) {
      await h.rpc.call(eventsRpc.rsvp, { actorId: id, communityId, eventId: event.id, status: 'going' });
    }
    await h.rpc.call(eventsRpc.rsvp, {
      actorId: quitter,
      communityId,
      eventId: event.id,
      status: 'declined',
    });
    const mailsTo = (id: string) =>
      h.inbox.mails.filter((m) => m.to.includes(h.peers.emails.get(id) as string));

    // The schedule is in PostgreSQL: a fresh process finds it.
    await h.restart();
    await h.app.runMaintenance();
    expect(mailsTo(a)).toHaveLength(0);

    h.clock.offsetMs = startsAt.getTime() - 24 * HOUR + 60_000 - Date.now();
    await Promise.all([h.app.runMaintenance(), h.app.runMaintenance()]);
    await h.app.runMaintenance();
    for (const id of [a, b]) {
      expect(mailsTo(id).map((m) => m.subject)).toEqual(['Tomorrow: Workshop']);
      expect(mailsTo(id)[0]?.text).toContain('Join online: https://meet.example.org/secret-room');
      expect(mailsTo(id)[0]?.text).toMatch(/Your check-in code: [A-Z2-9]{8}/);
    }

    await h.restart();
    await h.app.runMaintenance();
    h.clock.offsetMs = startsAt.getTime() - HOUR + 60_000 - Date.now();
    await Promise.all([h.app.runMaintenance(), h.app.runMaintenance()]);
    await h.restart();
    await h.app.runMaintenance();
    for (const id of [a, b]) {
      expect(mailsTo(id).map((m) => m.subject)).toEqual(['Tomorrow: Workshop', 'In 1 hour: Workshop']);
    }
    expect(mailsTo(quitter)).toHaveLength(0);

    h.clock.offsetMs = startsAt.getTime() + 60_000 - Date.now();
    await h.app.runMaintenance();
    expect(mailsTo(a)).toHaveLength(2);
  });

  it('a late RSVP gets only the reminders still ahead; moving the event re-plans them; cancelling tells everyone', async () => {
    h.clock.offsetMs = 0;
    const { communityId, ownerId, memberIds } = h.community(2);
    const [a, maybe] = memberIds as [string, string];
    const startsAt = new Date(Date.now() + 5 * HOUR);
    const { event } = await h.createEvent(ownerId, communityId, {
      title: 'Late one',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    });
    await h.rpc.call(eventsRpc.rsvp, { actorId: a, communityId, eventId: event.id, status: 'going' });
    await h.rpc.call(eventsRpc.rsvp, { actorId: maybe, communityId, eventId: event.id, status: 'maybe' });
    const mailsTo = (id: string) =>
      h.inbox.mails.filter((m) => m.to.includes(h.peers.emails.get(id) as string)).map((m) => m.subject);

    // Moved a day later: the old 1 h reminder is gone, a 24 h and a 1 h one are planned.
    const moved = new Date(startsAt.getTime() + 24 * HOUR);
    await h.rpc.call(eventsRpc.updateEvent, {
      actorId: ownerId,
      communityId,
      eventId: event.id,
      patch: { startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + HOUR).toISOString() },
    });
    h.clock.offsetMs = startsAt.getTime() - HOUR + 60_000 - Date.now();
    await h.app.runMaintenance();
    expect(mailsTo(a)).toEqual([]);
    h.clock.offsetMs = moved.getTime() - 24 * HOUR + 60_000 - Date.now();
    await h.app.runMaintenance();
    expect(mailsTo(a)).toEqual(['Tomorrow: Late one']);

    await h.rpc.call(eventsRpc.cancelEvent, {
      actorId: ownerId,
      communityId,
      eventId: event.id,
      reason: 'Host is ill',
    });
    await h.app.runMaintenance();
    expect(mailsTo(a)).toEqual(['Tomorrow: Late one', 'Cancelled: Late one']);
    expect(mailsTo(maybe)).toEqual(['Cancelled: Late one']);
    h.clock.offsetMs = moved.getTime() - HOUR + 60_000 - Date.now();
    await h.app.runMaintenance();
    expect(mailsTo(a)).toHaveLength(2);
    h.clock.offsetMs = 0;
  });
});
