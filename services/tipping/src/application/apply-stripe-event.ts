import type { Envelope, EventData, stripeEventReceived } from '@coterie/contracts';
import { type PoolClient, withTransaction } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import { claimInboxBatch, handleOnce } from '@coterie/messaging';
import { currentTraceHeaders } from '@coterie/telemetry';
import {
  findTip,
  findTipByPaymentIntent,
  insertLines,
  linesOf,
  lockTipsInOrder,
  type NewLine,
  type TipRow,
  updateTip,
} from '../adapters/postgres/tips-repository.ts';
import { currencyDecimals } from '../domain/fiat-amounts.ts';
import { fiatAsset } from '../domain/ledger/assets.ts';
import type { TippingDeps } from '../ports.ts';
import { creditLines, creditNewLines, reverseLines } from './credit-lines.ts';

export const STRIPE_CONSUMER = 'tipping--stripe-events';

type StripeEnvelope = Envelope<EventData<ReturnType<typeof stripeEventReceived>>>;

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined);

/** What an event we book says, read once. */
interface StripeFacts {
  event: StripeEnvelope['data']['event'];
  object: Record<string, unknown>;
  paymentIntentId: string | undefined;
  /** The tip id in the metadata, when it looks like one. */
  tipId: string | undefined;
  /** Made on first use: most events log nothing. */
  log: () => Logger;
}

const BOOKED_TYPES = ['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded'];

/** Undefined for the event types tipping does not book (they are not even claimed in the inbox). */
function factsOf(deps: TippingDeps, envelope: StripeEnvelope): StripeFacts | undefined {
  const event = envelope.data.event;
  const object = event.data.object as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (!BOOKED_TYPES.includes(event.type)) return undefined;
  const paymentIntentId = event.type === 'charge.refunded' ? str(object.payment_intent) : str(object.id);
  const metadataTipId = str(metadata.tip_id);
  const tipId = metadataTipId && /^[0-9a-f-]{36}$/.test(metadataTipId) ? metadataTipId : undefined;
  const log = () =>
    deps.logger.child({ stripeEventId: event.id, type: event.type, paymentIntentId, tipId: metadataTipId });
  return { event, object, paymentIntentId, tipId, log };
}

/**
 * Applies one verified Stripe event exactly once (inbox claim and effect in one transaction),
 * whatever the order they arrive in. Per tip, under a row lock:
 * - `payment_intent.succeeded`: pending/failed → confirmed with one credit; after a refund
 *   (reversed) nothing is credited, so a refund seen first never leaves a credit behind.
 * - `payment_intent.payment_failed`: pending → failed (a later success still credits).
 * - `charge.refunded` (fully): confirmed → reversed with a reversing transaction; a tip not yet
 *   credited becomes reversed with no ledger effect. Partial refunds are logged, not booked.
 */
export async function applyStripeEvent(deps: TippingDeps, envelope: StripeEnvelope): Promise<void> {
  const facts = factsOf(deps, envelope);
  if (!facts) return;
  const result = await handleOnce(deps.pool, STRIPE_CONSUMER, envelope, (client) =>
    bookOnTip(deps, client, facts),
  );
  if (result === 'applied') deps.wakeRelay();
}

export interface StripeDelivery {
  envelope: StripeEnvelope;
  /** Runs the event's effect in its message's trace (the outbox rows it writes carry it). */
  inTrace<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Applies a batch of Stripe events in one transaction, with the same effect as
 * `applyStripeEvent` on each in turn: the ids are claimed in the inbox at once, the batch's tips
 * are locked in id order (replicas working on overlapping tips wait instead of deadlocking),
 * then each event not handled before is booked in arrival order, so two events for one tip
 * behave as if applied one after the other. If it throws, nothing of the batch is kept.
 */
export async function applyStripeEvents(
  deps: TippingDeps,
  deliveries: readonly StripeDelivery[],
): Promise<void> {
  const booked = deliveries.flatMap((delivery) => {
    const facts = factsOf(deps, delivery.envelope);
    return facts ? [{ ...delivery, facts }] : [];
  });
  if (booked.length === 0) return;
  const applied = await withTransaction(deps.pool, async (client) => {
    const claimed = await claimInboxBatch(
      client,
      STRIPE_CONSUMER,
      booked.map((b) => b.envelope.id),
    );
    // An id claimed now is booked at its first occurrence only (a duplicate may share the batch).
    const fresh = booked.filter((b) => claimed.delete(b.envelope.id));
    const keys = {
      paymentIntentIds: fresh.flatMap((b) => (b.facts.paymentIntentId ? [b.facts.paymentIntentId] : [])),
      tipIds: fresh.flatMap((b) => (b.facts.tipId ? [b.facts.tipId] : [])),
    };
    const locked = await lockTipsInOrder(client, keys);
    const { credits, oneByOne } = bulkCredits(fresh, locked);
    await creditNewLines(
      client,
      await Promise.all(
        credits.map(async ({ item, paid, line }) => ({
          tip: paid,
          line,
          traceHeaders: await item.inTrace(async () => currentTraceHeaders()),
        })),
      ),
      deps.clock.now(),
    );
    // The rest read their tip afresh: an earlier event of the batch may have changed it.
    for (const { facts, inTrace } of oneByOne) await inTrace(() => bookOnTip(deps, client, facts));
    return fresh.length;
  });
  if (applied > 0) deps.wakeRelay();
}

/** The event's tip, locked: by its PaymentIntent, else by the metadata's tip id. */
async function findTipOf(client: PoolClient, { paymentIntentId, tipId }: StripeFacts) {
  let tip: TipRow | undefined;
  if (paymentIntentId) tip = await findTipByPaymentIntent(client, paymentIntentId, true);
  if (!tip && tipId) tip = await findTip(client, tipId, true);
  return tip;
}

/**
 * What a `payment_intent.succeeded` credits: the tip as paid (amount, currency and fee from the
 * PaymentIntent) and its one line; `asked` is false when the payment differs from the tip.
 */
function paymentOf(
  tip: TipRow,
  object: Record<string, unknown>,
): { paid: TipRow; line: NewLine; asked: boolean } {
  const amount = int(object.amount_received) ?? int(object.amount);
  const currency = str(object.currency)?.toLowerCase();
  if (!amount || amount <= 0n || !currency)
    throw new Error('payment_intent.succeeded without amount or currency');
  const fee = int(object.application_fee_amount) ?? BigInt(tip.fee_minor ?? '0');
  return {
    paid: { ...tip, amount_minor: amount.toString(), currency, fee_minor: fee.toString() },
    line: {
      line_no: 0,
      to_recipient: tip.to_recipient ?? 'creator',
      asset: fiatAsset(currency),
      decimals: currencyDecimals(currency),
      amount: amount.toString(),
      chain_id: null,
      tx_hash: null,
      log_index: null,
      from_address: null,
      to_address: null,
    },
    asked: amount === BigInt(tip.amount_minor ?? '0') && currency === tip.currency,
  };
}

/**
 * The batch's payments that can be credited together: `payment_intent.succeeded` for a pending
 * or failed fiat tip that already carries that PaymentIntent, for the amount asked, and that no
 * other event of the batch names (by PaymentIntent or tip id). Booking them together or one by
 * one gives the same rows; the rest of the batch is booked one by one.
 */
function bulkCredits<T extends { facts: StripeFacts }>(fresh: readonly T[], locked: readonly TipRow[]) {
  const byPaymentIntent = new Map(
    locked.flatMap((t) => (t.stripe_payment_intent_id ? [[t.stripe_payment_intent_id, t]] : [])),
  );
  const byId = new Map(locked.map((t) => [t.id, t]));
  const named = new Map<string, number>();
  const tipsNamedBy = ({ paymentIntentId, tipId }: StripeFacts) =>
    new Set(
      [paymentIntentId && byPaymentIntent.get(paymentIntentId)?.id, tipId && byId.get(tipId)?.id].filter(
        (id): id is string => Boolean(id),
      ),
    );
  for (const { facts } of fresh) for (const id of tipsNamedBy(facts)) named.set(id, (named.get(id) ?? 0) + 1);
  const bulk = new Set<T>();
  const credits: { item: T; paid: TipRow; line: NewLine }[] = [];
  for (const item of fresh) {
    const { event, object, paymentIntentId } = item.facts;
    if (event.type !== 'payment_intent.succeeded' || !paymentIntentId) continue;
    const tip = byPaymentIntent.get(paymentIntentId);
    if (!tip || named.get(tip.id) !== 1 || tip.rail !== 'fiat' || tip.kind !== 'tip') continue;
    if (tip.status !== 'pending' && tip.status !== 'failed') continue;
    const amount = int(object.amount_received) ?? int(object.amount);
    if (!amount || amount <= 0n || !str(object.currency)) continue;
    const { paid, line, asked } = paymentOf(tip, object);
    if (!asked) continue;
    bulk.add(item);
    credits.push({ item, paid, line });
  }
  return { credits, oneByOne: fresh.filter((item) => !bulk.has(item)) };
}

/** The effect of one event on its tip, in the caller's transaction (which holds its inbox claim). */
async function bookOnTip(deps: TippingDeps, client: PoolClient, facts: StripeFacts): Promise<void> {
  const { event, object, paymentIntentId, log } = facts;
  const tip = await findTipOf(client, facts);
  if (tip?.rail !== 'fiat' || tip.kind !== 'tip') {
    log().info('stripe event for no tip of ours; ignored');
    return;
  }
  if (paymentIntentId && tip.stripe_payment_intent_id && tip.stripe_payment_intent_id !== paymentIntentId) {
    log().warn(
      { expected: tip.stripe_payment_intent_id },
      'stripe event names another PaymentIntent; ignored',
    );
    return;
  }
  const now = deps.clock.now();
  if (event.type === 'payment_intent.succeeded') {
    if (tip.status !== 'pending' && tip.status !== 'failed') return;
    const { paid, line, asked } = paymentOf(tip, object);
    if (!asked) {
      log().warn(
        { amount: paid.amount_minor, currency: paid.currency },
        'paid amount differs from the tip asked; crediting what was paid',
      );
    }
    if (!tip.stripe_payment_intent_id && paymentIntentId) {
      await updateTip(client, tip.id, { stripe_payment_intent_id: paymentIntentId });
    }
    const lines = await insertLines(client, tip.id, [line]);
    await creditLines(client, paid, lines, now);
    return;
  }
  if (event.type === 'payment_intent.payment_failed') {
    if (tip.status !== 'pending') return;
    const error = (object.last_payment_error ?? {}) as Record<string, unknown>;
    await updateTip(client, tip.id, { status: 'failed', reason: str(error.code) ?? 'payment_failed' });
    return;
  }
  // charge.refunded
  if (object.refunded !== true) {
    log().warn({ amountRefunded: object.amount_refunded }, 'partial refund: not booked');
    return;
  }
  if (tip.status === 'reversed') return;
  if (tip.status === 'confirmed') {
    const lines = (await linesOf(client, [tip.id])).get(tip.id) ?? [];
    await reverseLines(client, tip, lines, 'refunded', now);
  }
  await updateTip(client, tip.id, { status: 'reversed', reason: 'refunded' });
}
