import { walletLinkedV1, walletUnlinkedV1 } from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import { stripeEventReceivedV1 } from '../../application/handle-stripe-event.ts';
import type { Deps } from '../../ports.ts';
import { onStripeEventReceived } from './entitlements.stripe-event.received.v1.ts';
import { onWalletLinked } from './identity.wallet.linked.v1.ts';
import { onWalletUnlinked } from './identity.wallet.unlinked.v1.ts';

export const IDENTITY_CONSUMER = 'entitlements--identity';
export const STRIPE_CONSUMER = 'entitlements--stripe';

/** Durable consumers of other contexts' streams (shared by the replicas: each event handled once). */
export function eventConsumers(deps: Deps): ConsumerSpec[] {
  const handlers = new Map([
    [walletLinkedV1.subject, onWalletLinked(deps, IDENTITY_CONSUMER)],
    [walletUnlinkedV1.subject, onWalletUnlinked(deps, IDENTITY_CONSUMER)],
  ]);
  return [
    {
      context: 'identity',
      durable: IDENTITY_CONSUMER,
      events: [walletLinkedV1, walletUnlinkedV1],
      // Re-evaluation reads the chain and asks identity: allow for a slow RPC.
      ackWaitMs: 60_000,
      handle: async (event, def) => {
        await handlers.get(def.subject)?.(event);
      },
    },
    {
      // Our own stream: the gateway stores verified webhooks there. Consumed with or without
      // Stripe keys, so events that arrive during a misconfiguration are not lost.
      context: 'entitlements',
      durable: STRIPE_CONSUMER,
      events: [stripeEventReceivedV1],
      ackWaitMs: 60_000,
      handle: onStripeEventReceived(deps, STRIPE_CONSUMER),
    },
  ];
}
