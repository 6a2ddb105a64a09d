import { z } from 'zod';
import { idSchema, isoDateSchema, memberDataRequestSchema } from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';
import type { communityRoleSchema } from './entitlements.ts';

// ---------- shared shapes ----------

/** The IANA name as the runtime's time-zone database spells it, or undefined if it has none. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** An IANA time zone (`Europe/Berlin`), canonicalised; offsets like `+01:00` are refused. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((name) => canonicalTimeZone(name) !== undefined, 'must be an IANA time zone, e.g. Europe/Berlin')
  .transform((name) => canonicalTimeZone(name) as string);

export const eventLocationInputSchema = z
  .object({
    kind: z.enum(['online', 'venue']),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2_048)
      .optional(),
    address: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((l) => l.kind !== 'online' || l.url !== undefined, {
    message: 'an online event needs a url',
    path: ['url'],
  })
  .refine((l) => l.kind !== 'venue' || l.address !== undefined, {
    message: 'a venue needs an address',
    path: ['address'],
  });

/** The location as a viewer sees it: `url` only for attendees (going with a seat) and hosts. */
export const eventLocationSchema = z.object({
  kind: z.enum(['online', 'venue']),
  url: z.string().nullable(),
  address: z.string().nullable(),
  /** True when the event has a URL this viewer is not shown. */
  urlHidden: z.boolean(),
});

/** A ticket price in integer minor units (`"1500"` = 15.00). */
export const ticketPriceSchema = z
  .object({
    value: z.string().regex(/^[1-9][0-9]{0,11}$/, 'must be a positive integer amount of minor units'),
    currency: z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code'),
  })
  .strict();

export const rsvpStatusSchema = z.enum(['going', 'maybe', 'declined']);
export type RsvpStatus = z.infer<typeof rsvpStatusSchema>;

/**
 * Where a `going` RSVP stands: `confirmed` has a seat, `held` has one reserved while a ticket
 * checkout is open (or offered to a promoted waitlister), `waitlisted` waits in FIFO order.
 */
export const seatStateSchema = z.enum(['confirmed', 'held', 'waitlisted', 'none']);

export const ticketStateSchema = z.object({
  status: z.enum(['pending', 'paid', 'refund-due', 'refunded']),
  /** The Stripe Checkout page, while the seat is held for payment. */
  checkoutUrl: z.string().nullable(),
  /** When the held seat is released if not paid. */
  expiresAt: isoDateSchema.nullable(),
});

export const rsvpResultSchema = z.object({
  status: rsvpStatusSchema,
  waitlisted: z.boolean(),
  /** 1-based place in the waitlist, when waitlisted. */
  position: z.number().int().positive().optional(),
  seat: seatStateSchema,
  ticket: ticketStateSchema.optional(),
});
export type RsvpResult = z.infer<typeof rsvpResultSchema>;

export const viewerRsvpSchema = rsvpResultSchema.extend({
  /** The attendee's own check-in code (confirmed seats only). */
  checkInCode: z.string().nullable(),
  checkedInAt: isoDateSchema.nullable(),
});

export const eventStatusSchema = z.enum(['scheduled', 'cancelled']);

export const communityEventSchema = z.object({
  id: idSchema,
  communityId: idSchema,
  title: z.string(),
  /** Markdown. */
  description: z.string(),
  startsAt: isoDateSchema,
  endsAt: isoDateSchema,
  timezone: z.string(),
  location: eventLocationSchema,
  capacity: z.number().int().positive().nullable(),
  minTierRank: z.number().int().min(0).nullable(),
  ticket: ticketPriceSchema.nullable(),
  status: eventStatusSchema,
  /** RFC 5545 SEQUENCE: bumped on every update and on cancellation. */
  sequence: z.number().int().min(0),
  /** Seats taken (confirmed + held for payment). */
  goingCount: z.number().int().min(0),
  waitlistCount: z.number().int().min(0),
  seatsLeft: z.number().int().min(0).nullable(),
  createdBy: idSchema,
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  cancelledAt: isoDateSchema.nullable(),
  /** Present when the request named a viewer. */
  viewer: z
    .object({
      isHost: z.boolean(),
      rsvp: viewerRsvpSchema.nullable(),
    })
    .optional(),
});
export type CommunityEvent = z.infer<typeof communityEventSchema>;

const titleSchema = z.string().trim().min(1).max(200);
const descriptionSchema = z.string().max(20_000);
const capacitySchema = z.number().int().min(1).max(100_000);
const minTierRankSchema = z.number().int().min(0).max(1_000);

const eventInputShape = {
  title: titleSchema,
  description: descriptionSchema.default(''),
  /** Instants with an offset (`2026-03-30T09:00:00+02:00`); the gateway may pass UTC. */
  startsAt: isoDateSchema,
  endsAt: isoDateSchema,
  timezone: timeZoneSchema,
  location: eventLocationInputSchema,
  capacity: capacitySchema.optional(),
  minTierRank: minTierRankSchema.optional(),
  ticket: ticketPriceSchema.optional(),
};

const pageRequest = {
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
};

const exportMoneySchema = z.object({ value: z.string(), currency: z.string() });

/** What events holds about a member (`GET /v1/me/data`); check-in codes and feed tokens stay out. */
export const eventsMemberDataSchema = z.object({
  rsvps: z.array(
    z.object({
      eventId: idSchema,
      communityId: idSchema,
      title: z.string(),
      startsAt: isoDateSchema,
      status: rsvpStatusSchema,
      seat: seatStateSchema,
      checkedInAt: isoDateSchema.nullable(),
      checkInMethod: z.enum(['host', 'code']).nullable(),
      createdAt: isoDateSchema,
      updatedAt: isoDateSchema,
    }),
  ),
  /** Paid tickets (an RSVP whose seat was paid for). */
  tickets: z.array(
    z.object({ eventId: idSchema, communityId: idSchema, title: z.string(), paid: exportMoneySchema }),
  ),
  refunds: z.array(
    z.object({
      eventId: idSchema,
      amount: exportMoneySchema,
      reason: z.string(),
      status: z.enum(['due', 'done']),
      createdAt: isoDateSchema,
      doneAt: isoDateSchema.nullable(),
    }),
  ),
  /** Events the member created as a host. */
  hosted: z.array(
    z.object({
      eventId: idSchema,
      communityId: idSchema,
      title: z.string(),
      startsAt: isoDateSchema,
      status: eventStatusSchema,
    }),
  ),
  /** Whether a private calendar feed exists (its token is never shown again). */
  calendarFeed: z.object({ createdAt: isoDateSchema }).nullable(),
});
export type EventsMemberData = z.infer<typeof eventsMemberDataSchema>;

// ---------- RPC ----------

/**
 * Hosts are the community's owner, admins and moderators (the `role` of `entitlements.rpc.check`):
 * they create, update and cancel events, check attendees in, and always see every event and URL.
 */
export const eventsRpc = {
  createEvent: defineRpc({
    subject: rpcSubject('events', 'createEvent'),
    request: z.object({ actorId: idSchema, communityId: idSchema, ...eventInputShape }),
    response: z.object({ event: communityEventSchema }),
  }),
  /** Every field optional; `null` clears capacity / minTierRank. The ticket price cannot change. */
  updateEvent: defineRpc({
    subject: rpcSubject('events', 'updateEvent'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      eventId: idSchema,
      patch: z
        .object({
          title: titleSchema.optional(),
          description: descriptionSchema.optional(),
          startsAt: isoDateSchema.optional(),
          endsAt: isoDateSchema.optional(),
          timezone: timeZoneSchema.optional(),
          location: eventLocationInputSchema.optional(),
          capacity: capacitySchema.nullable().optional(),
          minTierRank: minTierRankSchema.nullable().optional(),
        })
        .strict(),
    }),
    response: z.object({ event: communityEventSchema }),
  }),
  cancelEvent: defineRpc({
    subject: rpcSubject('events', 'cancelEvent'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      eventId: idSchema,
      reason: z.string().trim().max(1_000).optional(),
    }),
    response: z.object({ event: communityEventSchema }),
  }),
  /** Events overlapping [from, to), by start; without `viewerId` only the public ones. */
  listEvents: defineRpc({
    subject: rpcSubject('events', 'listEvents'),
    request: z.object({
      communityId: idSchema,
      viewerId: idSchema.optional(),
      from: isoDateSchema.optional(),
      to: isoDateSchema.optional(),
      ...pageRequest,
    }),
    response: z.object({ items: z.array(communityEventSchema), nextCursor: z.string().nullable() }),
  }),
  /** 404 `event_not_found` also when the viewer may not see it. */
  getEvent: defineRpc({
    subject: rpcSubject('events', 'getEvent'),
    request: z.object({ communityId: idSchema, eventId: idSchema, viewerId: idSchema.optional() }),
    response: z.object({ event: communityEventSchema }),
  }),
  rsvp: defineRpc({
    subject: rpcSubject('events', 'rsvp'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      eventId: idSchema,
      status: rsvpStatusSchema,
    }),
    response: rsvpResultSchema,
  }),
  /** A host checks an attendee in, by member id or by the attendee's check-in code. */
  checkIn: defineRpc({
    subject: rpcSubject('events', 'checkIn'),
    request: z
      .object({
        actorId: idSchema,
        communityId: idSchema,
        eventId: idSchema,
        memberId: idSchema.optional(),
        code: z.string().trim().min(4).max(32).optional(),
      })
      .refine(
        (r) => (r.memberId === undefined) !== (r.code === undefined),
        'give exactly one of memberId or code',
      ),
    response: z.object({
      memberId: idSchema,
      checkedInAt: isoDateSchema,
      method: z.enum(['host', 'code']),
      alreadyCheckedIn: z.boolean(),
    }),
  }),
  /** An attendee checks themselves in with their own code, from 1 h before start until the end. */
  selfCheckIn: defineRpc({
    subject: rpcSubject('events', 'selfCheckIn'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      eventId: idSchema,
      code: z.string().trim().min(4).max(32),
    }),
    response: z.object({
      memberId: idSchema,
      checkedInAt: isoDateSchema,
      method: z.enum(['host', 'code']),
      alreadyCheckedIn: z.boolean(),
    }),
  }),
  /** The public feed: events without `minTierRank`, online URLs never included. */
  communityCalendar: defineRpc({
    subject: rpcSubject('events', 'communityCalendar'),
    request: z.object({ communityId: idSchema, calendarName: z.string().max(200).optional() }),
    response: z.object({ ics: z.string() }),
  }),
  /** The private feed of a member's going/maybe events; 404 `calendar_token_invalid`. */
  memberCalendar: defineRpc({
    subject: rpcSubject('events', 'memberCalendar'),
    request: z.object({ token: z.string().min(1).max(256) }),
    response: z.object({ ics: z.string() }),
  }),
  /** `rotate` creates or replaces the member's feed token (shown once); `revoke` deletes it. */
  calendarToken: defineRpc({
    subject: rpcSubject('events', 'calendarToken'),
    request: z.object({ actorId: idSchema, action: z.enum(['rotate', 'revoke']).default('rotate') }),
    response: z.object({ token: z.string().nullable(), createdAt: isoDateSchema.nullable() }),
  }),
  /** `GET /v1/me/data`: RSVPs, tickets, refunds, hosted events. */
  exportMemberData: defineRpc({
    subject: rpcSubject('events', 'exportMemberData'),
    request: memberDataRequestSchema,
    response: eventsMemberDataSchema,
  }),
};

// ---------- events ----------

const eventFactsShape = {
  eventId: idSchema,
  communityId: idSchema,
  title: z.string(),
  startsAt: isoDateSchema,
  endsAt: isoDateSchema,
  timezone: z.string(),
  locationKind: z.enum(['online', 'venue']),
  capacity: z.number().int().positive().nullable(),
  minTierRank: z.number().int().min(0).nullable(),
  ticket: ticketPriceSchema.nullable(),
  sequence: z.number().int().min(0),
  occurredAt: isoDateSchema,
};

const countsShape = {
  /** Confirmed seats. */
  goingCount: z.number().int().min(0),
  /** Seats held for a pending ticket payment. */
  heldCount: z.number().int().min(0),
  waitlistCount: z.number().int().min(0),
  capacity: z.number().int().positive().nullable(),
};

export const eventScheduledV1 = defineEvent({
  type: 'events.event.scheduled',
  version: 1,
  data: z.object({ ...eventFactsShape, createdBy: idSchema }),
});

export const eventUpdatedV1 = defineEvent({
  type: 'events.event.updated',
  version: 1,
  data: z.object({ ...eventFactsShape, updatedBy: idSchema, changed: z.array(z.string()) }),
});

export const eventCancelledV1 = defineEvent({
  type: 'events.event.cancelled',
  version: 1,
  data: z.object({
    ...eventFactsShape,
    cancelledBy: idSchema,
    reason: z.string().nullable(),
    ...countsShape,
    /** Paid tickets to refund. */
    refunds: z.number().int().min(0),
  }),
});

export const rsvpChangeCauseSchema = z.enum([
  'member',
  'promotion',
  'payment',
  'checkout-expired',
  'access-lost',
  'hold-expired',
]);

export const rsvpChangedV1 = defineEvent({
  type: 'events.rsvp.changed',
  version: 1,
  data: z.object({
    eventId: idSchema,
    communityId: idSchema,
    memberId: idSchema,
    status: rsvpStatusSchema,
    previousStatus: rsvpStatusSchema.nullable(),
    seat: seatStateSchema,
    previousSeat: seatStateSchema.nullable(),
    waitlisted: z.boolean(),
    position: z.number().int().positive().nullable(),
    cause: rsvpChangeCauseSchema,
    ...countsShape,
    occurredAt: isoDateSchema,
  }),
});

export const attendanceRecordedV1 = defineEvent({
  type: 'events.attendance.recorded',
  version: 1,
  data: z.object({
    eventId: idSchema,
    communityId: idSchema,
    memberId: idSchema,
    method: z.enum(['host', 'code']),
    checkedInBy: idSchema,
    /** Checked-in attendees so far, and confirmed seats: attendance rate = attended / going. */
    attendedCount: z.number().int().min(0),
    goingCount: z.number().int().min(0),
    capacity: z.number().int().positive().nullable(),
    occurredAt: isoDateSchema,
  }),
});

export const eventsEvents = [
  eventScheduledV1,
  eventUpdatedV1,
  eventCancelledV1,
  rsvpChangedV1,
  attendanceRecordedV1,
] as const;

/** Roles that host events. */
export const EVENT_HOST_ROLES = ['owner', 'admin', 'moderator'] as const satisfies readonly z.infer<
  typeof communityRoleSchema
>[];
