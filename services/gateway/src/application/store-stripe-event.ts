import { stripeEventOwner, stripeEventReceived } from '@coterie/contracts';
import { deterministicEventId, type JetStreamPublisher, type Naming, newEvent } from '@coterie/messaging';
import { injectTraceContext } from '@coterie/telemetry';
import { headers as natsHeaders } from '@nats-io/nats-core';

export interface StoreStripeEventDeps {
  js: JetStreamPublisher;
  naming: Naming;
}

/**
 * A Stripe `Event` as Stripe sends it (a webhook body) or lists it (`GET /v1/events`): the fields
 * routing needs, and the rest kept as it came.
 */
export type StripeEventLike = {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  /** The connected account, for Connect events. */
  account?: string;
  data: { object: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
};

export type StoreResult =
  | { stored: true; eventId: string; context: string; duplicate: boolean }
  | { stored: false; reason: string };

/**
 * Stores an authentic Stripe event in the owning context's stream, keyed by Stripe's event id:
 * the envelope id is derived from it, so JetStream drops a copy inside its duplicate window and
 * the owner's inbox drops any later one. Both ingress paths use this one function: the webhook
 * route (after the signature check) and the reconciliation job (events listed with the API key),
 * so replaying an event that was already handled has no effect.
 */
export async function storeStripeEvent(
  deps: StoreStripeEventDeps,
  event: StripeEventLike,
): Promise<StoreResult> {
  const context = stripeEventOwner(event as unknown as Parameters<typeof stripeEventOwner>[0]);
  if (!context) return { stored: false, reason: `event type ${event.type} is not used` };
  const def = stripeEventReceived(context);
  const envelope = newEvent(
    def,
    { event },
    {
      source: 'gateway',
      id: deterministicEventId(`stripe:${event.id}`),
      occurredAt: new Date(event.created * 1000),
      correlationId: event.id,
    },
  );
  const h = natsHeaders();
  injectTraceContext(h);
  const ack = await deps.js.publish(deps.naming.subject(def.subject), JSON.stringify(envelope), {
    msgID: envelope.id,
    headers: h,
    timeout: 5_000,
  });
  return { stored: true, eventId: event.id, context, duplicate: ack.duplicate };
}
