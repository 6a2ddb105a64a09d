import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe, StripeElementsOptions } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useEffect, useState } from 'react';
import { useAction } from '../api/hooks.tsx';
import { ErrorNote, Loading } from './ui.tsx';

/**
 * Card entry with Stripe Elements, for a PaymentIntent the API created (`clientSecret`). This file
 * and Stripe.js load only when someone pays by card (a lazy chunk; `/pure` injects Stripe.js on the
 * first `loadStripe` call, not on import). The card data goes from Stripe's frames to Stripe; the
 * tip is credited when Stripe's `payment_intent.succeeded` webhook reaches the server.
 */
export interface CardPaymentProps {
  publishableKey: string;
  clientSecret: string;
  amountLabel: string;
  /** Where Stripe sends the browser back after a redirecting method (3-D Secure, banks). */
  returnUrl: string;
  onPaid(): void;
}

const loads = new Map<string, Promise<Stripe | null>>();

function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let promise = loads.get(publishableKey);
  if (!promise) {
    promise = loadStripe(publishableKey);
    // A failed load may be retried later (loadStripe allows it).
    promise.catch(() => loads.delete(publishableKey));
    loads.set(publishableKey, promise);
  }
  return promise;
}

function PayForm({
  amountLabel,
  returnUrl,
  onPaid,
}: Omit<CardPaymentProps, 'publishableKey' | 'clientSecret'>) {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const pay = useAction(async () => {
    if (!stripe || !elements) return;
    const { error, paymentIntent } = await stripe.confirmPayment({
      elements,
      redirect: 'if_required',
      confirmParams: { return_url: returnUrl },
    });
    if (error) throw new Error(error.message ?? 'The card payment failed.');
    if (paymentIntent && ['succeeded', 'processing', 'requires_capture'].includes(paymentIntent.status)) {
      onPaid();
      return;
    }
    throw new Error(`The payment is ${paymentIntent?.status ?? 'not complete'}: try another card.`);
  });
  return (
    <form
      className="panel"
      aria-labelledby="card-title"
      data-testid="card-payment"
      onSubmit={(e) => {
        e.preventDefault();
        void pay.run();
      }}
    >
      <h2 id="card-title">Pay {amountLabel} by card</h2>
      {ready ? null : <Loading label="Loading the card form…" />}
      <PaymentElement onReady={() => setReady(true)} options={{ layout: 'tabs' }} />
      <button type="submit" disabled={!stripe || !elements || !ready || pay.pending}>
        {pay.pending ? 'Paying…' : `Pay ${amountLabel}`}
      </button>
      <ErrorNote error={pay.error} />
    </form>
  );
}

export default function CardPayment({ publishableKey, clientSecret, ...rest }: CardPaymentProps) {
  const [stripe, setStripe] = useState<Stripe | null | undefined>();
  const [failed, setFailed] = useState<Error | undefined>();
  useEffect(() => {
    let live = true;
    stripeFor(publishableKey).then(
      (loaded) => {
        if (!live) return;
        if (loaded) setStripe(loaded);
        else setFailed(new Error('Stripe.js is not available in this browser.'));
      },
      () =>
        live &&
        setFailed(new Error('Could not load Stripe’s card form. Check your connection and try again.')),
    );
    return () => {
      live = false;
    };
  }, [publishableKey]);
  if (failed) return <ErrorNote error={failed} />;
  if (!stripe) return <Loading label="Loading the card form…" />;
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  const options: StripeElementsOptions = {
    clientSecret,
    appearance: {
      theme: dark ? 'night' : 'stripe',
      variables: { colorPrimary: dark ? '#8b85ff' : '#4f46e5' },
    },
  };
  return (
    <Elements stripe={stripe} options={options}>
      <PayForm {...rest} />
    </Elements>
  );
}
