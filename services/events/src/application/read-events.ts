import { type CommunityEvent, type eventsRpc, InvalidCursorError } from '@coterie/contracts';
import type { z } from 'zod';
import { findEvent, listCommunityEvents, seatCounts } from '../adapters/postgres/events-repository.ts';
import { findRsvps } from '../adapters/postgres/rsvps-repository.ts';
import { canSee, isHost, type ViewerAccess } from '../domain/access.ts';
import { EventNotFoundError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { eventView } from './event-view.ts';

type ListInput = z.infer<typeof eventsRpc.listEvents.request>;
type GetInput = z.infer<typeof eventsRpc.getEvent.request>;

const encodeCursor = (e: { starts_at: Date; id: string }) =>
  Buffer.from(JSON.stringify([e.starts_at.toISOString(), e.id])).toString('base64url');

function decodeCursor(cursor: string | undefined): { startsAt: Date; id: string } | null {
  if (!cursor) return null;
  try {
    const [s, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const startsAt = new Date(s);
    if (!Number.isNaN(startsAt.getTime()) && /^[0-9a-f-]{36}$/.test(id)) return { startsAt, id };
  } catch {}
  throw new InvalidCursorError();
}

async function viewerOf(
  deps: Deps,
  communityId: string,
  viewerId: string | undefined,
): Promise<ViewerAccess | null> {
  return viewerId ? deps.access.check(communityId, viewerId) : null;
}

/** The events a viewer may see (all for hosts, tier-filtered for members, public ones for anyone). */
export async function listEvents(
  deps: Deps,
  input: ListInput,
): Promise<{ items: CommunityEvent[]; nextCursor: string | null }> {
  const viewer = await viewerOf(deps, input.communityId, input.viewerId);
  const rows = await listCommunityEvents(deps.pool, {
    communityId: input.communityId,
    from: input.from ? new Date(input.from) : null,
    to: input.to ? new Date(input.to) : null,
    after: decodeCursor(input.cursor),
    all: isHost(viewer),
    maxRank: viewer?.tierRank ?? null,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const ids = page.map((r) => r.id);
  const [counts, rsvps] = await Promise.all([
    seatCounts(deps.pool, ids),
    viewer ? findRsvps(deps.pool, ids, viewer.memberId) : Promise.resolve(new Map()),
  ]);
  const items: CommunityEvent[] = [];
  for (const row of page) {
    const c = counts.get(row.id) ?? { confirmed: 0, held: 0, waitlisted: 0, attended: 0 };
    items.push(await eventView(deps.pool, row, c, viewer, rsvps.get(row.id)));
  }
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}

/** One event; 404 when it does not exist or the viewer may not see it (its existence stays private). */
export async function getEvent(deps: Deps, input: GetInput): Promise<CommunityEvent> {
  const viewer = await viewerOf(deps, input.communityId, input.viewerId);
  const row = await findEvent(deps.pool, input.communityId, input.eventId);
  if (!row || !canSee(row.min_tier_rank, viewer)) throw new EventNotFoundError();
  const counts = (await seatCounts(deps.pool, [row.id])).get(row.id) ?? {
    confirmed: 0,
    held: 0,
    waitlisted: 0,
    attended: 0,
  };
  const rsvp = viewer ? (await findRsvps(deps.pool, [row.id], viewer.memberId)).get(row.id) : undefined;
  return eventView(deps.pool, row, counts, viewer, rsvp);
}
