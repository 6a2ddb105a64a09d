import { localSpan } from './schedule.ts';

export interface MailEvent {
  title: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  locationKind: 'online' | 'venue';
  url: string | null;
  address: string | null;
  cancelReason: string | null;
}

export type MailKind = '24h' | '1h' | 'promoted' | 'cancelled';

/** Subject and text of an events mail; the online URL only when the member has a confirmed seat. */
export function reminderMail(
  kind: MailKind,
  event: MailEvent,
  attendee: { seat: string; checkInCode: string | null },
): { subject: string; text: string } {
  const when = localSpan(event.startsAt, event.endsAt, event.timezone);
  const where =
    event.locationKind === 'venue'
      ? `Where: ${event.address ?? ''}`
      : attendee.seat === 'confirmed' && event.url
        ? `Join online: ${event.url}`
        : 'Online (the link is shown to attendees)';
  const code =
    attendee.seat === 'confirmed' && attendee.checkInCode
      ? [`Your check-in code: ${attendee.checkInCode}`]
      : [];
  switch (kind) {
    case '24h':
      return {
        subject: `Tomorrow: ${event.title}`,
        text: [`"${event.title}" starts in 24 hours.`, '', `When: ${when}`, where, ...code].join('\n'),
      };
    case '1h':
      return {
        subject: `In 1 hour: ${event.title}`,
        text: [`"${event.title}" starts in 1 hour.`, '', `When: ${when}`, where, ...code].join('\n'),
      };
    case 'promoted':
      return {
        subject: `A seat opened up: ${event.title}`,
        text: [
          attendee.seat === 'held'
            ? `A seat opened up for "${event.title}". It is held for you: RSVP "going" again to pay for your ticket before the hold runs out.`
            : `A seat opened up for "${event.title}" and it is yours: you moved from the waitlist to going.`,
          '',
          `When: ${when}`,
          where,
          ...code,
        ].join('\n'),
      };
    case 'cancelled':
      return {
        subject: `Cancelled: ${event.title}`,
        text: [
          `"${event.title}" (${when}) has been cancelled.`,
          ...(event.cancelReason ? ['', `Reason: ${event.cancelReason}`] : []),
          '',
          'If you paid for a ticket, it is refunded to your card.',
        ].join('\n'),
      };
  }
}
