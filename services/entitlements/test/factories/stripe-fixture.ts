import type { Envelope } from '@coterie/contracts';
import type Stripe from 'stripe';
import {
  type StripeDouble,
  type StripeObject,
  startStripeDouble,
} from '../../../../tests/support/stripe-double.ts';
import { createApp as createGateway } from '../../../gateway/src/app.ts';
import { gatewayConfig, silentLogger } from '../../../gateway/test/integration/harness.ts';
import { type EntitlementsFixture, entitlementsFixture } from './entitlements-fixture.ts';

export interface StripeFixture {
  f: EntitlementsFixture;
  double: StripeDouble;
  /** The real gateway's `POST /v1/webhooks/stripe`. */
  webhookUrl: string;
  /** Signs `event` like Stripe and posts it to the real gateway's webhook route; the HTTP status. */
  deliver(event: Stripe.Event): Promise<number>;
  /** Builds a Stripe event of `type` around `object` (a snapshot: later changes do not show). */
  event(type: string, object: StripeObject): Stripe.Event;
  /** Events of the namespace's ENTITLEMENTS stream of one type. */
  eventsOf(type: string): Promise<Envelope[]>;
  close(): Promise<void>;
}

/**
 * Entitlements with Stripe keys whose SDK talks to the local double, and the real gateway
 * in-process in the same namespace, so webhooks take the production path: signature check at
 * the gateway → JetStream → our consumer.
 */
export async function stripeFixture(env: Record<string, string> = {}): Promise<StripeFixture> {
  const double = await startStripeDouble();
  const f = await entitlementsFixture({
    STRIPE_SECRET_KEY: double.secretKey,
    STRIPE_WEBHOOK_SECRET: double.webhookSecret,
    STRIPE_API_BASE_URL: `${double.sdkOptions.protocol}://${double.sdkOptions.host}:${double.sdkOptions.port}`,
    LOG_LEVEL: 'error',
    ...env,
  });
  const gateway = createGateway(
    gatewayConfig(f.namespace, { STRIPE_WEBHOOK_SECRET: double.webhookSecret, PORT: '0' }),
    { logger: silentLogger },
  );
  const { url } = await gateway.start();
  return {
    f,
    double,
    webhookUrl: `${url}/v1/webhooks/stripe`,
    deliver: (event) => double.deliver(`${url}/v1/webhooks/stripe`, event),
    event: (type, object) => double.event(type, object),
    async eventsOf(type) {
      return (await f.events()).filter((e) => e.type === type);
    },
    async close() {
      await gateway.stop();
      await f.close();
      await double.close();
    },
  };
}

export { stripeInvoice, stripeSubscription } from '../../../../tests/support/stripe-objects.ts';
