import { type Envelope, stripeEventReceived } from '@coterie/contracts';
import { connectNats, createNaming, deterministicEventId, ensureStreams } from '@coterie/messaging';
import { dropNamespace, testInfra, uniqueNamespace } from '@coterie/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeDouble, startStripeDouble } from '../../../../tests/support/stripe-double.ts';
import { type App, createApp } from '../../src/app.ts';
import { gatewayConfig, silentLogger } from './harness.ts';

const namespace = uniqueNamespace('gwstripe');
const naming = createNaming(namespace);
let stripe: StripeDouble;
let app: App;
let url: string;
let nc: NatsConnection;
const previousSecret = 'whsec_previous0123456789abcdef';

beforeAll(async () => {
  stripe = await startStripeDouble();
  nc = await connectNats({ url: testInfra().natsUrl, name: 'stripe-webhook-test' });
  // The owning services create their streams at start; these tests need only the streams.
  await ensureStreams(await jetstreamManager(nc), naming, ['entitlements', 'tipping', 'events']);
  app = createApp(
    gatewayConfig(namespace, {
      PORT: '0',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_WEBHOOK_SECRET_PREVIOUS: previousSecret,
    }),
    { logger: silentLogger },
  );
  url = `${(await app.start()).url}/v1/webhooks/stripe`;
});

afterAll(async () => {
  await app.stop();
  await nc.close();
  await stripe.close();
  await dropNamespace(namespace);
});

async function stored(context: 'entitlements' | 'tipping', stripeEventId: string): Promise<Envelope[]> {
  const jsm = await jetstreamManager(nc);
  const def = stripeEventReceived(context);
  const info = await jsm.streams
    .info(naming.stream(context), { subjects_filter: '>' })
    .catch(() => undefined);
  const out: Envelope[] = [];
  const last = Number(info?.state.last_seq ?? 0);
  for (let seq = 1; seq <= last; seq++) {
    const msg = await jsm.streams.getMessage(naming.stream(context), { seq }).catch(() => undefined);
    if (!msg) continue;
    const envelope = def.parse(msg.json());
    if ((envelope.data as { event: { id: string } }).event.id === stripeEventId) out.push(envelope);
  }
  return out;
}

const subscription = () =>
  stripe.put({
    id: `sub_${Math.random().toString(36).slice(2)}`,
    object: 'subscription',
    status: 'active',
    metadata: {},
  });

describe('POST /v1/webhooks/stripe', () => {
  it('stores a verified event once in the owning context, even when delivered 10 times concurrently', async () => {
    const event = stripe.event('customer.subscription.updated', subscription());
    const statuses = await Promise.all(Array.from({ length: 10 }, () => stripe.deliver(url, event)));
    expect(statuses).toEqual(Array(10).fill(200));
    const envelopes = await stored('entitlements', event.id);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.id).toBe(deterministicEventId(`stripe:${event.id}`));
  });

  it('routes payment intents to tipping unless their metadata names another context', async () => {
    const tip = stripe.event('payment_intent.succeeded', {
      id: 'pi_tip',
      object: 'payment_intent',
      metadata: { coterie_context: 'tipping' },
    });
    expect(await stripe.deliver(url, tip)).toBe(200);
    expect(await stored('tipping', tip.id)).toHaveLength(1);
  });

  it('accepts the previous secret during a rotation', async () => {
    const event = stripe.event('invoice.paid', { id: 'in_1', object: 'invoice', metadata: {} });
    expect(await stripe.deliver(url, event, { secret: previousSecret })).toBe(200);
    expect(await stored('entitlements', event.id)).toHaveLength(1);
  });

  it('answers 200 without storing an event type Coterie does not use', async () => {
    const event = stripe.event('customer.created', { id: 'cus_1', object: 'customer' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(event).header },
      body: stripe.sign(event).payload,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, stored: false });
  });

  const refusals: [string, (payload: string, header: string) => [string, Record<string, string>]][] = [
    [
      'a payload changed by one byte',
      (p, h) => [p.replace('"livemode":false', '"livemode":fals0'), { 'stripe-signature': h }],
    ],
    [
      'a wrong secret',
      (p) => [p, { 'stripe-signature': stripe.sign(JSON.parse(p), { secret: 'whsec_wrong' }).header }],
    ],
    ['a missing header', (p) => [p, {}]],
    [
      'a timestamp older than 300 s',
      (p) => [
        p,
        {
          'stripe-signature': stripe.sign(JSON.parse(p), { timestamp: Math.floor(Date.now() / 1000) - 301 })
            .header,
        },
      ],
    ],
    [
      'a timestamp in the future',
      (p) => [
        p,
        {
          'stripe-signature': stripe.sign(JSON.parse(p), { timestamp: Math.floor(Date.now() / 1000) + 60 })
            .header,
        },
      ],
    ],
  ];
  for (const [name, tamper] of refusals) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const event = stripe.event('customer.subscription.deleted', subscription());
      const { payload, header } = stripe.sign(event);
      const [body, headers] = tamper(payload, header);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { code: string }).code).toBe('stripe_signature_invalid');
      expect(await stored('entitlements', event.id)).toHaveLength(0);
    });
  }
});

describe('POST /v1/webhooks/stripe with no webhook secret configured', () => {
  it('refuses every delivery with 400 stripe_signature_invalid: no signature can verify', async () => {
    const bare = createApp(gatewayConfig(namespace, { PORT: '0' }), { logger: silentLogger });
    try {
      const bareUrl = `${(await bare.start()).url}/v1/webhooks/stripe`;
      const event = stripe.event('customer.subscription.updated', subscription());
      const { payload, header } = stripe.sign(event);
      const signed: Record<string, string>[] = [{ 'stripe-signature': header }, {}];
      for (const headers of signed) {
        const res = await fetch(bareUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: payload,
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { code: string }).code).toBe('stripe_signature_invalid');
      }
      expect(await stored('entitlements', event.id)).toHaveLength(0);
    } finally {
      await bare.stop();
    }
  });
});
