import { AppError, stripeEventOwner, stripeEventReceived } from '@coterie/contracts';
import { deterministicEventId, type Naming, newEvent } from '@coterie/messaging';
import { injectTraceContext } from '@coterie/telemetry';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import Stripe from 'stripe';

/** Stripe signs with timestamps; older than this is a replay (Stripe's own default). */
const TOLERANCE_SECONDS = 300;
/** Stripe's clock is not ours: allow this much, refuse anything further in the future. */
const FUTURE_SKEW_SECONDS = 5;

export interface StripeWebhookDeps {
  /** The current secret first; during a rotation the previous one too. */
  secrets: string[];
  js: JetStreamClient;
  naming: Naming;
  now?: () => number;
}

export type IngestResult =
  | { stored: true; eventId: string; context: string }
  | { stored: false; reason: string };

/**
 * Verifies a raw Stripe webhook and stores it durably in the owning context's stream, keyed by
 * Stripe's event id (JetStream dedupes redeliveries; the owner's inbox dedupes the rest).
 * Nothing is stored unless the signature checks out against the exact bytes received.
 */
export async function ingestStripeWebhook(
  deps: StripeWebhookDeps,
  rawBody: Buffer,
  signatureHeader: string | undefined,
): Promise<IngestResult> {
  if (!signatureHeader)
    throw new AppError('stripe_signature_invalid', 400, 'Missing Stripe-Signature header.');
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const timestamp = Number(/(?:^|,)t=(\d+)/.exec(signatureHeader)?.[1]);
  if (!Number.isFinite(timestamp) || timestamp > nowSeconds + FUTURE_SKEW_SECONDS) {
    throw new AppError(
      'stripe_signature_invalid',
      400,
      'The signature timestamp is missing or in the future.',
    );
  }
  let event: Stripe.Event | undefined;
  for (const secret of deps.secrets) {
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, TOLERANCE_SECONDS);
      break;
    } catch {
      // Try the next live secret.
    }
  }
  if (!event) throw new AppError('stripe_signature_invalid', 400, 'The Stripe signature does not verify.');

  const context = stripeEventOwner(event as unknown as Parameters<typeof stripeEventOwner>[0]);
  if (!context) return { stored: false, reason: `event type ${event.type} is not used` };
  const def = stripeEventReceived(context);
  const envelope = newEvent(
    def,
    { event: JSON.parse(rawBody.toString('utf8')) },
    {
      source: 'gateway',
      id: deterministicEventId(`stripe:${event.id}`),
      occurredAt: new Date(event.created * 1000),
      correlationId: event.id,
    },
  );
  const h = natsHeaders();
  injectTraceContext(h);
  await deps.js.publish(deps.naming.subject(def.subject), JSON.stringify(envelope), {
    msgID: envelope.id,
    headers: h,
    timeout: 5_000,
  });
  return { stored: true, eventId: event.id, context };
}
