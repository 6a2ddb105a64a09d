import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, writeCalendar } from './write-calendar.ts';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');

describe('writeCalendar', () => {
  it('writes a DST-crossing Europe/Berlin event exactly as RFC 5545 wants it', () => {
    // 22:00 CET on Saturday to 10:00 CEST on Sunday: 12 wall-clock hours, 11 real ones.
    const ics = writeCalendar({
      name: 'Berlin, Night Owls',
      events: [
        {
          uid: '0190e0f4-7c1a-7000-8000-000000000001@coterie',
          sequence: 2,
          created: new Date('2026-02-01T09:30:00Z'),
          lastModified: new Date('2026-03-01T10:00:00.123Z'),
          start: new Date('2026-03-28T22:00:00+01:00'),
          end: new Date('2026-03-29T10:00:00+02:00'),
          summary: 'Night shift; coffee, code \\ chat',
          description: 'Line one\nLine two\r\nLine three',
          location: 'Café Zürich, Oranienstraße 1; Berlin',
          url: 'https://example.org/e?a=1,b=2',
          status: 'CONFIRMED',
        },
        {
          uid: 'x@coterie',
          sequence: 0,
          created: new Date('2026-01-01T00:00:00Z'),
          lastModified: new Date('2026-01-01T00:00:00Z'),
          start: new Date('2026-01-02T00:00:00Z'),
          end: new Date('2026-01-02T01:00:00Z'),
          summary: 'Gone',
          description: '',
          status: 'CANCELLED',
        },
      ],
    });
    const expected = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Coterie//Events//EN',
      'CALSCALE:GREGORIAN',
      'X-WR-CALNAME:Berlin\\, Night Owls',
      'BEGIN:VEVENT',
      'UID:0190e0f4-7c1a-7000-8000-000000000001@coterie',
      'DTSTAMP:20260301T100000Z',
      'CREATED:20260201T093000Z',
      'LAST-MODIFIED:20260301T100000Z',
      'SEQUENCE:2',
      'DTSTART:20260328T210000Z',
      'DTEND:20260329T080000Z',
      'SUMMARY:Night shift\\; coffee\\, code \\\\ chat',
      'DESCRIPTION:Line one\\nLine two\\nLine three',
      'LOCATION:Café Zürich\\, Oranienstraße 1\\; Berlin',
      'URL:https://example.org/e?a=1,b=2',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:x@coterie',
      'DTSTAMP:20260101T000000Z',
      'CREATED:20260101T000000Z',
      'LAST-MODIFIED:20260101T000000Z',
      'SEQUENCE:0',
      'DTSTART:20260102T000000Z',
      'DTEND:20260102T010000Z',
      'SUMMARY:Gone',
      'STATUS:CANCELLED',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    expect(ics).toBe(expected);
  });

  it('ends every line with CRLF and never a bare LF', () => {
    const ics = writeCalendar({ events: [] });
    expect(ics).toBe(
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Coterie//Events//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n',
    );
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});

describe('foldLine', () => {
  it('leaves a 75-octet line alone and folds a 76-octet one', () => {
    const line75 = `SUMMARY:${'a'.repeat(67)}`;
    expect(foldLine(line75)).toBe(line75);
    expect(foldLine(`${line75}b`)).toBe(`${line75}\r\n b`);
  });

  it('folds 2-octet UTF-8 characters without splitting them', () => {
    // 8 + 33 × 2 = 74 octets fit; the 34th ü would make 76. The continuation holds 7 more.
    expect(foldLine(`SUMMARY:${'ü'.repeat(40)}`)).toBe(`SUMMARY:${'ü'.repeat(33)}\r\n ${'ü'.repeat(7)}`);
  });

  it('moves a 4-octet character whole to the next line', () => {
    expect(foldLine(`SUMMARY:${'a'.repeat(66)}😀😀`)).toBe(`SUMMARY:${'a'.repeat(66)}\r\n 😀😀`);
  });

  it('keeps every physical line within 75 octets, continuation space included', () => {
    const long = `DESCRIPTION:${'Zoë’s 🎉 Grüße, 東京; '.repeat(40)}`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const [i, line] of lines.entries()) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      if (i > 0) expect(line.startsWith(' ')).toBe(true);
    }
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(long);
  });
});

describe('escapeText', () => {
  it('escapes backslash first, then ; , and line breaks', () => {
    expect(escapeText('a\\;b,c\nd\r\ne\rf')).toBe('a\\\\\\;b\\,c\\nd\\ne\\nf');
  });
});
