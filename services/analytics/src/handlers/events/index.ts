import type { Context, Envelope } from '@coterie/contracts';
import { type Pool, withTransaction } from '@coterie/db';
import type { ConsumerSpec } from '@coterie/service-kit';
import { type Projector, projectBatch, projectOnce } from '../../application/projection.ts';
import { npsSubmitted } from './analytics.nps.submitted.v1.ts';
import { spendRecorded } from './analytics.spend.recorded.v1.ts';
import { communityCreated } from './entitlements.community.created.v1.ts';
import { membershipChanged } from './entitlements.membership.changed.v1.ts';
import { membershipGranted } from './entitlements.membership.granted.v1.ts';
import { membershipRevoked } from './entitlements.membership.revoked.v1.ts';
import { subscriptionChanged } from './entitlements.subscription.changed.v1.ts';
import { attendanceRecorded } from './events.attendance.recorded.v1.ts';
import { eventCancelled } from './events.event.cancelled.v1.ts';
import { eventScheduled } from './events.event.scheduled.v1.ts';
import { eventUpdated } from './events.event.updated.v1.ts';
import { rsvpChanged } from './events.rsvp.changed.v1.ts';
import { proposalClosed } from './governance.proposal.closed.v1.ts';
import { proposalCreated } from './governance.proposal.created.v1.ts';
import { voteCast } from './governance.vote.cast.v1.ts';
import { memberErased } from './identity.member.erased.v1.ts';
import { memberRegistered } from './identity.member.registered.v1.ts';
import { memberSignedIn } from './identity.member.signed-in.v1.ts';
import { tipReceived } from './tipping.tip.received.v1.ts';
import { tipReversed } from './tipping.tip.reversed.v1.ts';

/** The projectors of each stream analytics reads: one durable consumer per stream. */
export const PROJECTORS: Readonly<Record<Context, readonly Projector[]>> = {
  identity: [memberRegistered, memberSignedIn, memberErased],
  entitlements: [
    communityCreated,
    membershipGranted,
    membershipChanged,
    membershipRevoked,
    subscriptionChanged,
  ],
  tipping: [tipReceived, tipReversed],
  events: [eventScheduled, eventUpdated, eventCancelled, rsvpChanged, attendanceRecorded],
  governance: [proposalCreated, voteCast, proposalClosed],
  analytics: [npsSubmitted, spendRecorded],
} as Readonly<Record<Context, readonly Projector[]>>;

export const SOURCE_CONTEXTS = Object.keys(PROJECTORS) as Context[];

/** Durable name and inbox key of a stream's consumer; the rebuild claims events under the same key. */
export const consumerName = (context: Context) => `analytics--${context}`;

export const projectorsBySubject: ReadonlyMap<string, Projector> = new Map(
  Object.values(PROJECTORS)
    .flat()
    .map((p) => [p.def.subject, p]),
);

/**
 * One durable consumer per source stream (replicas share it), each event applied once by its id.
 * A burst is projected a batch per transaction: one set-based `apply` per projector.
 */
export function eventConsumers(pool: Pool): ConsumerSpec[] {
  return SOURCE_CONTEXTS.map((context) => ({
    context,
    durable: consumerName(context),
    events: PROJECTORS[context].map((p) => p.def),
    maxConcurrency: 8,
    handle: async (event, def) => {
      const projector = projectorsBySubject.get(def.subject);
      if (projector) await projectOnce(pool, consumerName(context), projector, event);
    },
    handleBatch: async (items) => {
      const byProjector = new Map<Projector, Envelope[]>();
      for (const { event, def } of items) {
        const projector = projectorsBySubject.get(def.subject);
        if (!projector) continue;
        const group = byProjector.get(projector);
        if (group) group.push(event);
        else byProjector.set(projector, [event]);
      }
      if (byProjector.size === 0) return;
      await withTransaction(pool, async (client) => {
        for (const [projector, events] of byProjector) {
          await projectBatch(client, consumerName(context), projector, events);
        }
      });
    },
  }));
}
