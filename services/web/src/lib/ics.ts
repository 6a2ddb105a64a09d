/**
 * One event as an RFC 5545 calendar file, for "add to calendar" (the server publishes the
 * community's feed and each member's private feed; this is the single event, built locally).
 */

export interface IcsEvent {
  id: string;
  title: string;
  description?: string | null;
  startsAt: string;
  endsAt: string;
  location: { kind: 'online' | 'venue'; url?: string | null; address?: string | null };
  status?: string;
}

/** 2026-05-01T18:00:00.000Z → 20260501T180000Z */
export function icsDate(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** TEXT values escape backslash, newline, comma and semicolon (RFC 5545 §3.3.11). */
export function icsEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\r?\n/g, '\\n')
    .replace(/[,;]/g, (c) => `\\${c}`);
}

/** Lines longer than 75 octets are folded: CRLF and a space (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const n = new TextEncoder().encode(char).length;
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function eventIcs(event: IcsEvent, options: { host: string; pageUrl: string; now?: Date }): string {
  const where =
    event.location.kind === 'online' ? (event.location.url ?? 'Online') : (event.location.address ?? '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Coterie//Web//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.id}@${options.host}`,
    `DTSTAMP:${icsDate((options.now ?? new Date()).toISOString())}`,
    `DTSTART:${icsDate(event.startsAt)}`,
    `DTEND:${icsDate(event.endsAt)}`,
    `SUMMARY:${icsEscape(event.title)}`,
    ...(event.description ? [`DESCRIPTION:${icsEscape(event.description)}`] : []),
    ...(where ? [`LOCATION:${icsEscape(where)}`] : []),
    `URL:${options.pageUrl}`,
    ...(event.status === 'cancelled' ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A `data:` URL of the file, for an `<a download>` (a real link: keyboard, middle-click, copy). */
export function icsDataUrl(ics: string): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`;
}
