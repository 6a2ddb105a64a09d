/**
 * An RFC 5545 writer for the few things Coterie's feeds need.
 *
 * Times are written in UTC (`DTSTART:20260330T070000Z`, RFC 5545 §3.3.5 form #2). Coterie's
 * events are single instants, never recurring, so a UTC time is exact and every client shows
 * it in its viewer's zone; a TZID would only matter for recurrence rules, and a hand-generated
 * VTIMEZONE could disagree with the client's own tz database. The event's zone is kept in the
 * description, rendered DST-correctly with its local wall-clock times.
 */
export interface IcsEvent {
  /** Stable: `<eventId>@coterie`. */
  uid: string;
  sequence: number;
  /** When this version of the event was last changed (also DTSTAMP: a feed has no METHOD). */
  lastModified: Date;
  created: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location?: string | undefined;
  url?: string | undefined;
  status: 'CONFIRMED' | 'CANCELLED';
}

export interface IcsCalendar {
  /** X-WR-CALNAME, shown by most clients as the calendar's name. */
  name?: string | undefined;
  events: readonly IcsEvent[];
}

export const PRODID = '-//Coterie//Events//EN';

export function writeCalendar(calendar: IcsCalendar): string {
  const lines: string[] = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN'];
  if (calendar.name) lines.push(`X-WR-CALNAME:${escapeText(calendar.name)}`);
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${utcDateTime(event.lastModified)}`,
      `CREATED:${utcDateTime(event.created)}`,
      `LAST-MODIFIED:${utcDateTime(event.lastModified)}`,
      `SEQUENCE:${event.sequence}`,
      `DTSTART:${utcDateTime(event.start)}`,
      `DTEND:${utcDateTime(event.end)}`,
      `SUMMARY:${escapeText(event.summary)}`,
    );
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
    // URL is a URI value (§3.8.4.6), not TEXT: no escaping.
    if (event.url) lines.push(`URL:${event.url}`);
    lines.push(`STATUS:${event.status}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** `20260330T070000Z`. */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** TEXT escaping (§3.3.11): backslash, semicolon, comma, and every line break as `\n`. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const MAX_OCTETS = 75;

/**
 * Folds a content line at 75 octets (§3.1): continuation lines start with one space, which
 * counts towards their 75. Splits only between code points, so UTF-8 sequences stay whole.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
