import { describe, expect, it } from 'vitest';
import { eventIcs, icsDataUrl, icsEscape } from './ics.ts';

describe('add to calendar (RFC 5545)', () => {
  it('writes one VEVENT with UTC times, escaped text, folded long lines and CRLF endings', () => {
    const ics = eventIcs(
      {
        id: 'ev-1',
        title: 'Rooftop meetup; bring snacks, please',
        description: `Line one\nLine two ${'x'.repeat(80)}`,
        startsAt: '2026-12-01T18:00:00.000Z',
        endsAt: '2026-12-01T20:30:00.000Z',
        location: { kind: 'venue', address: '1 Roof Street, Lisbon' },
      },
      {
        host: 'coterie.example',
        pageUrl: 'https://coterie.example/c/roof/events',
        now: new Date('2026-11-25T10:00:00Z'),
      },
    );
    const lines = ics.split('\r\n');
    expect(lines.slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Coterie//Web//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
    ]);
    expect(ics).toContain('\r\nUID:ev-1@coterie.example\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20261125T100000Z\r\n');
    expect(ics).toContain('\r\nDTSTART:20261201T180000Z\r\nDTEND:20261201T203000Z\r\n');
    expect(ics).toContain('\r\nSUMMARY:Rooftop meetup\\; bring snacks\\, please\r\n');
    expect(ics).toContain('\r\nLOCATION:1 Roof Street\\, Lisbon\r\n');
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    // Unfolding gives the description back.
    expect(ics.replace(/\r\n /g, '')).toContain(`DESCRIPTION:Line one\\nLine two ${'x'.repeat(80)}\r\n`);
  });

  it('escapes backslashes first and makes a data: URL', () => {
    expect(icsEscape('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    expect(icsDataUrl('A B')).toBe('data:text/calendar;charset=utf-8,A%20B');
  });
});
