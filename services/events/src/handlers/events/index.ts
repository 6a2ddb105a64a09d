import {
  memberErasedV1,
  membershipChangedV1,
  membershipRevokedV1,
  stripeEventReceived,
} from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import type { Deps } from '../../ports.ts';
import { onMembershipLost } from './entitlements.membership.lost.ts';
import { onStripeEvent } from './events.stripe-event.received.v1.ts';
import { onMemberErased } from './identity.member.erased.v1.ts';

export const STRIPE_CONSUMER = 'events--stripe';
export const ENTITLEMENTS_CONSUMER = 'events--entitlements';
export const IDENTITY_CONSUMER = 'events--identity';
export const eventsStripeEventReceivedV1 = stripeEventReceived('events');

/** Durable consumers (shared by the replicas: each event handled once). */
export function eventConsumers(deps: Deps): ConsumerSpec[] {
  return [
    {
      context: 'events',
      durable: STRIPE_CONSUMER,
      events: [eventsStripeEventReceivedV1],
      handle: onStripeEvent(deps, STRIPE_CONSUMER),
    },
    {
      context: 'entitlements',
      durable: ENTITLEMENTS_CONSUMER,
      events: [membershipRevokedV1, membershipChangedV1],
      // Only what happens from now on matters: past downgrades left no RSVPs to withdraw.
      deliverNewOnly: true,
      handle: onMembershipLost(deps),
    },
    {
      // From the start of the stream: an erasure is never skipped, even one made while we were down.
      context: 'identity',
      durable: IDENTITY_CONSUMER,
      events: [memberErasedV1],
      handle: onMemberErased(deps, IDENTITY_CONSUMER),
    },
  ];
}
