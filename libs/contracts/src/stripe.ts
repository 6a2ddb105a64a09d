import { z } from 'zod';
import type { Context } from './contexts.ts';
import { defineEvent } from './define.ts';

/** The Stripe event types Coterie acts on, and which context owns each. */
export const STRIPE_EVENT_OWNERS: Readonly<Record<string, Context>> = {
  'checkout.session.completed': 'entitlements',
  'checkout.session.expired': 'entitlements',
  'invoice.paid': 'entitlements',
  'invoice.payment_failed': 'entitlements',
  'customer.subscription.created': 'entitlements',
  'customer.subscription.updated': 'entitlements',
  'customer.subscription.deleted': 'entitlements',
  'account.updated': 'entitlements',
  'payment_intent.succeeded': 'tipping',
  'payment_intent.payment_failed': 'tipping',
  'charge.refunded': 'tipping',
};

/**
 * The context named in the object's `metadata.coterie_context` (set by whoever created it,
 * e.g. events for ticket checkouts) wins over the default owner of the event type.
 */
export function stripeEventOwner(event: {
  type: string;
  data?: { object?: { metadata?: Record<string, string> | null } };
}): Context | undefined {
  const owner = STRIPE_EVENT_OWNERS[event.type];
  if (!owner) return undefined;
  const named = event.data?.object?.metadata?.coterie_context;
  return named === 'entitlements' || named === 'tipping' || named === 'events' ? named : owner;
}

const stripeEventSchema = z
  .object({
    id: z.string().regex(/^evt_[A-Za-z0-9_]+$/),
    type: z.string(),
    created: z.number().int(),
    livemode: z.boolean(),
    account: z.string().optional(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }).loose(),
  })
  .loose();

/**
 * A verified Stripe webhook, stored by the gateway in the owning context's stream
 * (`<context>.stripe-event.received.v1`). The envelope id is derived from Stripe's event id,
 * so redeliveries dedupe in JetStream and in the consumer's inbox alike.
 */
export function stripeEventReceived(context: Context) {
  let def = stripeEventDefinitions.get(context);
  if (!def) {
    def = defineStripeEventReceived(context);
    stripeEventDefinitions.set(context, def);
  }
  return def;
}

function defineStripeEventReceived(context: Context) {
  return defineEvent({
    type: `${context}.stripe-event.received`,
    version: 1,
    data: z.object({ event: stripeEventSchema }),
  });
}

// One definition per context: a schema built per call is compiled anew by zod at its first
// parse, which cost more than the rest of a webhook's ingestion together.
const stripeEventDefinitions = new Map<Context, ReturnType<typeof defineStripeEventReceived>>();
