import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

async function member(): Promise<{ browser: Browser; memberId: string }> {
  const browser = platform.browser();
  const { memberId } = await signInWithWallet(browser, privateKeyToAccount(generatePrivateKey()));
  return { browser, memberId };
}

const rsvp = (browser: Browser, path: string, status: 'going' | 'maybe' | 'declined') =>
  browser.request({ method: 'PUT', url: `${path}/rsvp`, body: { status } });

describe('events through the gateway', () => {
  it('schedules, lists, waitlists and promotes RSVPs of a one-seat event, checks in, and feeds calendars', async () => {
    const owner = await member();
    const slug = `ev-${Math.random().toString(36).slice(2, 10)}`;
    expect((await owner.browser.post('/v1/communities', { slug, name: 'Meetups' })).statusCode).toBe(201);
    const alice = await member();
    const bob = await member();

    const startsAt = new Date(Date.now() + 86_400_000);
    const body = {
      title: 'Builders breakfast',
      description: 'Coffee and **demos**.',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      timezone: 'Europe/Berlin',
      location: { kind: 'venue', address: 'Alexanderplatz 1, Berlin' },
      capacity: 1,
    };
    expect((await alice.browser.post(`/v1/communities/${slug}/events`, body)).statusCode).toBe(403);
    const created = await owner.browser.post(`/v1/communities/${slug}/events`, body);
    expect(created.statusCode, created.body).toBe(201);
    const { event } = created.json<{ event: { id: string; capacity: number; seatsLeft: number } }>();
    expect(event).toMatchObject({ capacity: 1, seatsLeft: 1 });
    const path = `/v1/communities/${slug}/events/${event.id}`;

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const listed = await platform.browser().get(`/v1/communities/${slug}/events?from=${from}`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: { id: string }[]; nextCursor: null }>()).toMatchObject({
      items: [{ id: event.id }],
      nextCursor: null,
    });

    expect((await rsvp(alice.browser, path, 'going')).json()).toMatchObject({
      status: 'going',
      waitlisted: false,
      seat: 'confirmed',
    });
    const waitlisted = await rsvp(bob.browser, path, 'going');
    expect(waitlisted.statusCode).toBe(200);
    expect(waitlisted.json()).toMatchObject({ status: 'going', waitlisted: true, position: 1 });
    expect((await rsvp(alice.browser, path, 'declined')).json()).toMatchObject({
      status: 'declined',
      waitlisted: false,
    });
    const promoted = await bob.browser.get(path);
    expect(promoted.json()).toMatchObject({
      event: { goingCount: 1, waitlistCount: 0, viewer: { rsvp: { status: 'going', seat: 'confirmed' } } },
    });

    const checkIn = await owner.browser.post(`${path}/check-in`, { memberId: bob.memberId });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    expect(checkIn.json()).toMatchObject({ memberId: bob.memberId, method: 'host', alreadyCheckedIn: false });
    expect((await alice.browser.post(`${path}/check-in`, { memberId: bob.memberId })).statusCode).toBe(403);

    const ics = await platform.browser().get(`/v1/communities/${slug}/events.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.body).toContain('SUMMARY:Builders breakfast');

    const token = await bob.browser.post('/v1/me/calendar-token');
    expect(token.statusCode).toBe(201);
    const mine = await platform
      .browser()
      .get(`/v1/me/calendar.ics?token=${encodeURIComponent(token.json<{ token: string }>().token)}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(mine.body).toContain(`UID:${event.id}@coterie`);

    const cancelled = await owner.browser.post(`${path}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ event: { status: 'cancelled' } });
  });
});
