import { useEffect, useId, useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { CommunityEvent, EventInput, Page, RsvpResult, RsvpStatus } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError, Loading } from '../components/ui.tsx';
import { eventIcs, icsDataUrl } from '../lib/ics.ts';
import { formatMoney, parseUnits } from '../lib/units.ts';
import { useSession } from '../session.tsx';

const RSVP_LABELS: Record<RsvpStatus, string> = { going: 'Going', maybe: 'Maybe', declined: 'Not going' };

function fileName(title: string): string {
  return `${
    title
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'event'
  }.ics`;
}

/** ISO → the `YYYY-MM-DDTHH:mm` a datetime-local input shows, in this browser's time zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function rsvpSentence(rsvp: RsvpResult | null | undefined): string {
  if (!rsvp) return '';
  if (rsvp.waitlisted) {
    return `The event is full: you are on the waitlist${rsvp.position ? `, position ${rsvp.position}` : ''}. You get the seat when one frees up.`;
  }
  if (rsvp.seat === 'held') return 'Your seat is held until you pay for the ticket.';
  if (rsvp.status === 'going') return 'You are going. See you there!';
  if (rsvp.status === 'maybe') return 'You answered maybe.';
  return 'You are not going.';
}

function Seats({ event }: { event: CommunityEvent }) {
  const parts: string[] = [];
  if (event.goingCount !== undefined) parts.push(`${event.goingCount} going`);
  if (event.capacity) {
    const places = (n: number) => `${n} ${n === 1 ? 'place' : 'places'}`;
    parts.push(
      event.seatsLeft === 0
        ? `full (${places(event.capacity)})`
        : `${event.seatsLeft ?? event.capacity} of ${places(event.capacity)} left`,
    );
  }
  if (event.waitlistCount) parts.push(`${event.waitlistCount} on the waitlist`);
  return parts.length > 0 ? <p data-testid="seats">{parts.join(' · ')}</p> : null;
}

function EventCard({ event, slug, onChanged }: { event: CommunityEvent; slug: string; onChanged(): void }) {
  const { me, config } = useSession();
  const path = `/v1/communities/${encodeURIComponent(slug)}/events/${encodeURIComponent(event.id)}`;
  // The answer of the last click, until the list is reloaded with the server's view.
  const [answer, setAnswer] = useState<RsvpResult | undefined>();
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reloaded event replaces the local answer
  useEffect(() => setAnswer(undefined), [event]);
  const rsvp = answer ?? event.viewer?.rsvp ?? null;
  const send = useAction(async (status: RsvpStatus) => {
    const result = await api.put<RsvpResult>(`${path}/rsvp`, { status });
    setAnswer(result);
    if (result.ticket?.checkoutUrl) {
      window.location.assign(result.ticket.checkoutUrl);
      return;
    }
    onChanged();
  });
  const cancel = useAction(async () => {
    await api.post(`${path}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
    setCancelling(false);
    onChanged();
  });
  const titleId = `ev-${event.id}`;
  const cancelled = event.status === 'cancelled';
  const ics = eventIcs(event, {
    host: window.location.host,
    pageUrl: `${window.location.origin}/c/${slug}/events`,
  });
  const location = event.location;
  return (
    <li className="card event" aria-labelledby={titleId} data-event={event.title}>
      <div className="tier-head">
        <h2 id={titleId}>{event.title}</h2>
        {cancelled ? <span className="badge badge-no">Cancelled</span> : null}
      </div>
      <p>
        <time dateTime={event.startsAt}>{formatDate(event.startsAt)}</time> –{' '}
        <time dateTime={event.endsAt}>{formatDate(event.endsAt)}</time>{' '}
        <span className="muted">({event.timezone})</span>
      </p>
      <p>
        {location.kind === 'online' ? (
          location.url ? (
            <>
              Online: <a href={location.url}>{location.url}</a>
            </>
          ) : location.urlHidden ? (
            'Online (the link is shown to confirmed attendees)'
          ) : (
            'Online'
          )
        ) : (
          location.address
        )}
        {event.ticket ? ` · ticket ${formatMoney(event.ticket)}` : ''}
      </p>
      <Seats event={event} />
      {event.description ? <p className="prewrap">{event.description}</p> : null}
      {me && !cancelled ? (
        <fieldset className="rsvp">
          <legend>Your RSVP</legend>
          <div className="actions">
            {(['going', 'maybe', 'declined'] as const).map((status) => (
              <button
                key={status}
                type="button"
                aria-pressed={rsvp?.status === status}
                className={rsvp?.status === status ? '' : 'secondary'}
                disabled={send.pending}
                onClick={() => void send.run(status)}
              >
                {RSVP_LABELS[status]}
              </button>
            ))}
          </div>
        </fieldset>
      ) : null}
      <p role="status" data-testid="rsvp-status">
        {rsvpSentence(rsvp)}
      </p>
      {rsvp?.ticket?.checkoutUrl && rsvp.seat === 'held' ? (
        <p>
          <a className="button" href={rsvp.ticket.checkoutUrl}>
            Pay for your ticket
          </a>
        </p>
      ) : null}
      {event.viewer?.rsvp?.checkInCode && rsvp?.seat === 'confirmed' ? (
        <p>
          Your check-in code: <code>{event.viewer.rsvp.checkInCode}</code>
        </p>
      ) : null}
      <div className="actions">
        <a className="button secondary" href={icsDataUrl(ics)} download={fileName(event.title)}>
          Add to calendar (.ics)
        </a>
        {event.viewer?.isHost && !cancelled ? (
          <>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing(!editing)}
              aria-expanded={editing}
            >
              {editing ? 'Close the editor' : 'Edit'}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setCancelling(!cancelling)}
              aria-expanded={cancelling}
            >
              Cancel event…
            </button>
          </>
        ) : null}
      </div>
      <ErrorNote error={send.error} />
      {cancelling ? (
        <form
          className="panel"
          onSubmit={(e) => {
            e.preventDefault();
            void cancel.run();
          }}
        >
          <label htmlFor={`${titleId}-reason`}>Reason (sent to attendees, optional)</label>
          <input id={`${titleId}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={cancel.pending}>
            Cancel “{event.title}” for everyone
          </button>
          <ErrorNote error={cancel.error} />
        </form>
      ) : null}
      {editing ? (
        <EventForm
          slug={slug}
          event={event}
          stripeEnabled={Boolean(config?.stripe.enabled)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </li>
  );
}

/** Schedule (POST) or edit (PATCH) an event; hosts only (the API answers 403 to anyone else). */
function EventForm({
  slug,
  event,
  stripeEnabled,
  onSaved,
}: {
  slug: string;
  event?: CommunityEvent;
  stripeEnabled: boolean;
  onSaved(): void;
}) {
  const id = useId();
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [title, setTitle] = useState(event?.title ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const [startsAt, setStartsAt] = useState(event ? toLocalInput(event.startsAt) : '');
  const [endsAt, setEndsAt] = useState(event ? toLocalInput(event.endsAt) : '');
  const [timezone, setTimezone] = useState(event?.timezone ?? browserZone);
  const [kind, setKind] = useState<'online' | 'venue'>(event?.location.kind ?? 'online');
  const [where, setWhere] = useState(
    (event?.location.kind === 'venue' ? event.location.address : event?.location.url) ?? '',
  );
  const [capacity, setCapacity] = useState(event?.capacity ? String(event.capacity) : '');
  const [minTierRank, setMinTierRank] = useState(
    event?.minTierRank !== null && event?.minTierRank !== undefined ? String(event.minTierRank) : '',
  );
  const [ticket, setTicket] = useState('');
  const [saved, setSaved] = useState('');
  const save = useAction(async () => {
    setSaved('');
    if (!title.trim() || !startsAt || !endsAt) throw new Error('Title, start and end are required.');
    const start = new Date(startsAt);
    const end = new Date(endsAt);
    if (!(end > start)) throw new Error('The event must end after it starts.');
    if (capacity && !/^[1-9]\d*$/.test(capacity.trim()))
      throw new Error('Capacity is a whole number of places.');
    if (minTierRank && !/^\d+$/.test(minTierRank.trim())) throw new Error('The tier rank is a whole number.');
    if (kind === 'online' && where && !/^https?:\/\//.test(where.trim()))
      throw new Error('The link must start with https:// (or http://).');
    if (kind === 'venue' && !where.trim()) throw new Error('Give the venue’s address.');
    const body: EventInput = {
      title: title.trim(),
      description: description.trim(),
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      timezone: timezone.trim() || browserZone,
      location:
        kind === 'online'
          ? { kind, ...(where.trim() ? { url: where.trim() } : {}) }
          : { kind, address: where.trim() },
    };
    const base = `/v1/communities/${encodeURIComponent(slug)}/events`;
    if (event) {
      await api.patch(`${base}/${encodeURIComponent(event.id)}`, {
        ...body,
        capacity: capacity.trim() ? Number(capacity) : null,
        minTierRank: minTierRank.trim() ? Number(minTierRank) : null,
      });
      setSaved('Event updated.');
    } else {
      let price: EventInput['ticket'];
      if (ticket.trim()) {
        const parsed = parseUnits(ticket, 2);
        if (!parsed.ok) throw new Error(`Ticket price: ${parsed.error}`);
        price = { value: parsed.value, currency: 'usd' };
      }
      await api.post(base, {
        ...body,
        ...(capacity.trim() ? { capacity: Number(capacity) } : {}),
        ...(minTierRank.trim() ? { minTierRank: Number(minTierRank) } : {}),
        ...(price ? { ticket: price } : {}),
      });
      setSaved(`Event “${body.title}” scheduled.`);
      setTitle('');
      setDescription('');
    }
    onSaved();
  });
  const field = (name: string) => `${id}-${name}`;
  return (
    <form
      className="event-form"
      aria-label={event ? `Edit ${event.title}` : 'Schedule an event'}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <label htmlFor={field('title')}>Title</label>
      <input
        id={field('title')}
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor={field('desc')}>Description</label>
      <textarea
        id={field('desc')}
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="row">
        <div>
          <label htmlFor={field('start')}>Starts</label>
          <input
            id={field('start')}
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={field('end')}>Ends</label>
          <input
            id={field('end')}
            type="datetime-local"
            required
            value={endsAt}
            onChange={(e) => setEndsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={field('tz')}>Time zone</label>
          <input id={field('tz')} value={timezone} onChange={(e) => setTimezone(e.target.value)} />
        </div>
      </div>
      <p className="muted">Times are in this browser’s time zone ({browserZone}).</p>
      <label htmlFor={field('kind')}>Where</label>
      <select id={field('kind')} value={kind} onChange={(e) => setKind(e.target.value as 'online' | 'venue')}>
        <option value="online">Online</option>
        <option value="venue">At a venue</option>
      </select>
      <label htmlFor={field('where')}>
        {kind === 'online' ? 'Link (shown to confirmed attendees)' : 'Address'}
      </label>
      <input id={field('where')} value={where} onChange={(e) => setWhere(e.target.value)} />
      <div className="row">
        <div>
          <label htmlFor={field('cap')}>Capacity (optional)</label>
          <input
            id={field('cap')}
            inputMode="numeric"
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={field('rank')}>Minimum tier rank (optional)</label>
          <input
            id={field('rank')}
            inputMode="numeric"
            value={minTierRank}
            onChange={(e) => setMinTierRank(e.target.value)}
          />
        </div>
        {!event && stripeEnabled ? (
          <div>
            <label htmlFor={field('ticket')}>Ticket price in USD (optional)</label>
            <input
              id={field('ticket')}
              inputMode="decimal"
              value={ticket}
              onChange={(e) => setTicket(e.target.value)}
            />
          </div>
        ) : null}
      </div>
      <button type="submit" disabled={save.pending}>
        {event ? 'Save changes' : 'Create event'}
      </button>
      <p role="status">{saved}</p>
      <ErrorNote error={save.error} />
    </form>
  );
}

function PersonalFeed() {
  const [url, setUrl] = useState<string | undefined>();
  const create = useAction(async () => {
    const { token } = await api.post<{ token: string | null }>('/v1/me/calendar-token');
    if (token) setUrl(`${window.location.origin}/v1/me/calendar.ics?token=${encodeURIComponent(token)}`);
  });
  return (
    <details className="panel">
      <summary>Your private calendar feed</summary>
      <p>
        A link your calendar app can subscribe to: the events you go to, with their links. Making a new one
        turns the old one off.
      </p>
      <button type="button" className="secondary" onClick={() => void create.run()} disabled={create.pending}>
        {url ? 'Make a new link' : 'Make my link'}
      </button>
      {url ? (
        <p>
          <label htmlFor="feed-url">Subscribe to this address (keep it private)</label>
          <input id="feed-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        </p>
      ) : null}
      <ErrorNote error={create.error} />
    </details>
  );
}

export function EventsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me, config } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const [from] = useState(() => new Date(Date.now() - 86_400_000).toISOString());
  const events = useApi<Page<CommunityEvent>>(`${base}/events?limit=50&from=${encodeURIComponent(from)}`);
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
          <EventCard key={event.id} event={event} slug={slug} onChanged={() => void events.reload()} />
        ))}
      </ul>
      {me && !events.error?.routeMissing ? (
        <>
          <details className="panel">
            <summary>Schedule an event (hosts)</summary>
            <EventForm
              slug={slug}
              stripeEnabled={Boolean(config?.stripe.enabled)}
              onSaved={() => void events.reload()}
            />
          </details>
          <PersonalFeed />
        </>
      ) : null}
    </section>
  );
}
