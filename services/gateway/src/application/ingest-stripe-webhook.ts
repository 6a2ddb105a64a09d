import { AppError } from '@coterie/contracts';
import Stripe from 'stripe';
import {
  type StoreResult,
  type StoreStripeEventDeps,
  type StripeEventLike,
  storeStripeEvent,
} from './store-stripe-event.ts';

/** Stripe signs with timestamps; older than this is a replay (Stripe's own default). */
const TOLERANCE_SECONDS = 300;
/** Stripe's clock is not ours: allow this much, refuse anything further in the future. */
const FUTURE_SKEW_SECONDS = 5;

export interface StripeWebhookDeps extends StoreStripeEventDeps {
  /** The current secret first; during a rotation the previous one too. */
  secrets: string[];
  now?: () => number;
}

export type IngestResult = StoreResult;

/**
 * Verifies a raw Stripe webhook and stores it durably in the owning context's stream, keyed by
 * Stripe's event id (`storeStripeEvent`: JetStream dedupes redeliveries; the owner's inbox
 * dedupes the rest). Nothing is stored unless the signature checks out against the exact bytes
 * received.
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

  // The parsed body, not the SDK's object: exactly what Stripe signed goes on the stream.
  return storeStripeEvent(deps, JSON.parse(rawBody.toString('utf8')) as StripeEventLike);
}
