import {
  type StoreResult,
  type StoreStripeEventDeps,
  type StripeEventLike,
  storeStripeEvent,
} from './store-stripe-event.ts';

export type { StripeEventLike };

export interface ReconcileStripeEventsDeps extends StoreStripeEventDeps {
  /**
   * Events Stripe reports as not delivered (`delivery_success: false`: still retrying, or given
   * up) created at or after `since`, every page of them.
   */
  undeliveredEvents(since: Date): AsyncIterable<StripeEventLike>;
}

export interface ReconcileSummary {
  /** Events Stripe listed as not delivered. */
  listed: number;
  /** Put on the owner's stream now (the webhook never arrived). */
  stored: number;
  /** JetStream already had them (stored by a late webhook or an earlier run): no effect. */
  alreadyStored: number;
  /** Types Coterie does not use. */
  ignored: number;
  failed: { eventId: string; error: string }[];
}

/**
 * The reconciliation job: every event Stripe could not deliver goes through `storeStripeEvent`,
 * the very function behind `POST /v1/webhooks/stripe`, so the owning service applies it exactly
 * as it would a webhook, and an event that was in fact handled already changes nothing
 * (JetStream's `Nats-Msg-Id` window, then the owner's inbox). Oldest first, as Stripe would have
 * sent them; the owners are correct in any order anyway. Running it again is harmless.
 */
export async function reconcileStripeEvents(
  deps: ReconcileStripeEventsDeps,
  options: { since: Date },
): Promise<ReconcileSummary> {
  const events: StripeEventLike[] = [];
  for await (const event of deps.undeliveredEvents(options.since)) events.push(event);
  events.reverse();
  const summary: ReconcileSummary = {
    listed: events.length,
    stored: 0,
    alreadyStored: 0,
    ignored: 0,
    failed: [],
  };
  for (const event of events) {
    let result: StoreResult;
    try {
      result = await storeStripeEvent(deps, event);
    } catch (error) {
      summary.failed.push({
        eventId: event.id,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (!result.stored) summary.ignored += 1;
    else if (result.duplicate) summary.alreadyStored += 1;
    else summary.stored += 1;
  }
  return summary;
}
