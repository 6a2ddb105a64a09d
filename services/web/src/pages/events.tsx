import { useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { CommunityEvent, Page, RsvpResult, RsvpStatus } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError, Loading } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

function icsDate(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function icsEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/[,;]/g, (c) => `\\${c}`);
}

/** One event as an RFC 5545 file, built in the browser (the server also publishes a feed). */
function downloadIcs(event: CommunityEvent, slug: string) {
  const location =
    event.location.kind === 'online' ? (event.location.url ?? 'online') : (event.location.address ?? '');
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Coterie//Web//EN',
    'BEGIN:VEVENT',
    `UID:${event.id}@${window.location.host}`,
    `DTSTAMP:${icsDate(new Date().toISOString())}`,
    `DTSTART:${icsDate(event.startsAt)}`,
    `DTEND:${icsDate(event.endsAt)}`,
    `SUMMARY:${icsEscape(event.title)}`,
    `DESCRIPTION:${icsEscape(event.description ?? '')}`,
    `LOCATION:${icsEscape(location)}`,
    `URL:${window.location.origin}/c/${slug}/events`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${event.title.replace(/[^\w-]+/g, '-').slice(0, 40) || 'event'}.ics`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function EventCard({ event, slug }: { event: CommunityEvent; slug: string }) {
  const { me } = useSession();
  const [rsvp, setRsvp] = useState<RsvpResult | null | undefined>(event.myRsvp);
  const send = useAction(async (status: RsvpStatus) => {
    const result = await api.put<RsvpResult>(
      `/v1/communities/${encodeURIComponent(slug)}/events/${encodeURIComponent(event.id)}/rsvp`,
      { status },
    );
    setRsvp(result);
  });
  return (
    <li className="card" aria-labelledby={`ev-${event.id}`}>
      <h2 id={`ev-${event.id}`}>{event.title}</h2>
      <p>
        {formatDate(event.startsAt)} – {formatDate(event.endsAt)}{' '}
        <span className="muted">({event.timezone})</span>
      </p>
      <p>
        {event.location.kind === 'online' ? 'Online' : event.location.address}
        {event.capacity ? ` · ${event.capacity} places` : ''}
      </p>
      {event.description ? <p>{event.description}</p> : null}
      {me ? (
        <fieldset className="rsvp">
          <legend>Your RSVP</legend>
          {(['going', 'maybe', 'declined'] as const).map((status) => (
            <button
              key={status}
              type="button"
              aria-pressed={rsvp?.status === status}
              className={rsvp?.status === status ? '' : 'secondary'}
              disabled={send.pending}
              onClick={() => void send.run(status)}
            >
              {status === 'going' ? 'Going' : status === 'maybe' ? 'Maybe' : 'Not going'}
            </button>
          ))}
        </fieldset>
      ) : null}
      <p role="status">
        {rsvp?.waitlisted
          ? `You are on the waitlist${rsvp.position ? `, position ${rsvp.position}` : ''}.`
          : rsvp
            ? `You answered: ${rsvp.status}.`
            : ''}
      </p>
      <button type="button" className="link" onClick={() => downloadIcs(event, slug)}>
        Add to calendar (.ics)
      </button>
      <ErrorNote error={send.error} />
    </li>
  );
}

function NewEventForm({ slug, onCreated }: { slug: string; onCreated(): void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [kind, setKind] = useState<'online' | 'venue'>('online');
  const [where, setWhere] = useState('');
  const [capacity, setCapacity] = useState('');
  const [minTierRank, setMinTierRank] = useState('');
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const create = useAction(async () => {
    if (!title.trim() || !startsAt || !endsAt) throw new Error('Title, start and end are required.');
    await api.post(`/v1/communities/${encodeURIComponent(slug)}/events`, {
      title: title.trim(),
      description: description.trim(),
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      timezone,
      location: kind === 'online' ? { kind, ...(where ? { url: where } : {}) } : { kind, address: where },
      ...(capacity ? { capacity: Number(capacity) } : {}),
      ...(minTierRank ? { minTierRank: Number(minTierRank) } : {}),
    });
    setTitle('');
    onCreated();
  });
  return (
    <details className="panel">
      <summary>Schedule an event (hosts)</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label htmlFor="ev-title">Title</label>
        <input id="ev-title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="ev-desc">Description</label>
        <textarea
          id="ev-desc"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <div className="row">
          <div>
            <label htmlFor="ev-start">Starts ({timezone})</label>
            <input
              id="ev-start"
              type="datetime-local"
              required
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="ev-end">Ends</label>
            <input
              id="ev-end"
              type="datetime-local"
              required
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
            />
          </div>
        </div>
        <label htmlFor="ev-kind">Where</label>
        <select id="ev-kind" value={kind} onChange={(e) => setKind(e.target.value as 'online' | 'venue')}>
          <option value="online">Online</option>
          <option value="venue">At a venue</option>
        </select>
        <label htmlFor="ev-where">{kind === 'online' ? 'Link' : 'Address'}</label>
        <input id="ev-where" value={where} onChange={(e) => setWhere(e.target.value)} />
        <div className="row">
          <div>
            <label htmlFor="ev-cap">Capacity (optional)</label>
            <input
              id="ev-cap"
              inputMode="numeric"
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="ev-rank">Minimum tier rank (optional)</label>
            <input
              id="ev-rank"
              inputMode="numeric"
              value={minTierRank}
              onChange={(e) => setMinTierRank(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" disabled={create.pending}>
          Create event
        </button>
        <ErrorNote error={create.error} />
      </form>
    </details>
  );
}

export function EventsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const events = useApi<Page<CommunityEvent>>(
    `${base}/events?from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
  );
  return (
    <section aria-labelledby="events-title">
      <CommunityHeader slug={slug} />
      <div className="page-title">
        <h1 id="events-title">Events</h1>
        <a href={`${base}/events.ics`} className="button secondary">
          Subscribe to the calendar feed
        </a>
      </div>
      <LoadError error={events.error} what="Events" />
      {events.loading && !events.data ? <Loading /> : null}
      {events.data && events.data.items.length === 0 ? <p>No upcoming events.</p> : null}
      <ul className="cards">
        {(events.data?.items ?? []).map((event) => (
          <EventCard key={event.id} event={event} slug={slug} />
        ))}
      </ul>
      {me && !events.error?.routeMissing ? (
        <NewEventForm slug={slug} onCreated={() => void events.reload()} />
      ) : null}
    </section>
  );
}
