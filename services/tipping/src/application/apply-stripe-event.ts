import type { Envelope, EventData, stripeEventReceived } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import {
  findTip,
  findTipByPaymentIntent,
  insertLines,
  linesOf,
  type TipRow,
  updateTip,
} from '../adapters/postgres/tips-repository.ts';
import { currencyDecimals } from '../domain/fiat-amounts.ts';
import { fiatAsset } from '../domain/ledger/assets.ts';
import type { TippingDeps } from '../ports.ts';
import { creditLines, reverseLines } from './credit-lines.ts';

export const STRIPE_CONSUMER = 'tipping--stripe-events';

type StripeEnvelope = Envelope<EventData<ReturnType<typeof stripeEventReceived>>>;

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined);

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
  const event = envelope.data.event;
  const object = event.data.object as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (!['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded'].includes(event.type))
    return;
  const paymentIntentId = event.type === 'charge.refunded' ? str(object.payment_intent) : str(object.id);
  const tipId = str(metadata.tip_id);
  const log = deps.logger.child({ stripeEventId: event.id, type: event.type, paymentIntentId, tipId });

  const result = await handleOnce(deps.pool, STRIPE_CONSUMER, envelope, async (client) => {
    let tip: TipRow | undefined;
    if (paymentIntentId) tip = await findTipByPaymentIntent(client, paymentIntentId, true);
    if (!tip && tipId && /^[0-9a-f-]{36}$/.test(tipId)) tip = await findTip(client, tipId, true);
    if (tip?.rail !== 'fiat' || tip.kind !== 'tip') {
      log.info('stripe event for no tip of ours; ignored');
      return;
    }
    if (paymentIntentId && tip.stripe_payment_intent_id && tip.stripe_payment_intent_id !== paymentIntentId) {
      log.warn(
        { expected: tip.stripe_payment_intent_id },
        'stripe event names another PaymentIntent; ignored',
      );
      return;
    }
    const now = deps.clock.now();
    if (event.type === 'payment_intent.succeeded') {
      if (tip.status !== 'pending' && tip.status !== 'failed') return;
      const amount = int(object.amount_received) ?? int(object.amount);
      const currency = str(object.currency)?.toLowerCase();
      if (!amount || amount <= 0n || !currency)
        throw new Error('payment_intent.succeeded without amount or currency');
      const fee = int(object.application_fee_amount) ?? BigInt(tip.fee_minor ?? '0');
      if (amount !== BigInt(tip.amount_minor ?? '0') || currency !== tip.currency) {
        log.warn(
          { amount: amount.toString(), currency },
          'paid amount differs from the tip asked; crediting what was paid',
        );
      }
      const paid: TipRow = { ...tip, amount_minor: amount.toString(), currency, fee_minor: fee.toString() };
      if (!tip.stripe_payment_intent_id && paymentIntentId) {
        await updateTip(client, tip.id, { stripe_payment_intent_id: paymentIntentId });
      }
      const lines = await insertLines(client, tip.id, [
        {
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
      ]);
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
      log.warn({ amountRefunded: object.amount_refunded }, 'partial refund: not booked');
      return;
    }
    if (tip.status === 'reversed') return;
    if (tip.status === 'confirmed') {
      const lines = (await linesOf(client, [tip.id])).get(tip.id) ?? [];
      await reverseLines(client, tip, lines, 'refunded', now);
    }
    await updateTip(client, tip.id, { status: 'reversed', reason: 'refunded' });
  });
  if (result === 'applied') deps.wakeRelay();
}
