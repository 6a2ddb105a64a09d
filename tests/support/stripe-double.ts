import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import qs from 'qs';
import Stripe from 'stripe';

/**
 * A local HTTP double of the parts of Stripe's API Coterie calls, for tests only. The real
 * Stripe SDK is pointed at it (`host`, `port`, `protocol: 'http'`); it stores what it is sent
 * so tests can assert on it, and it builds and signs webhook events the way Stripe does.
 */
export interface StripeDouble {
  /** Options for `new Stripe(key, options)` that send every call here. */
  readonly sdkOptions: { host: string; port: number; protocol: 'http' };
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** Every API call received, in order. */
  readonly requests: RecordedRequest[];
  /** Stored objects by id (customers, prices, sessions, payment intents, subscriptions, …). */
  readonly objects: Map<string, StripeObject>;
  put(object: StripeObject): StripeObject;
  /** A Stripe `Event` wrapping `object`, remembered for `GET /v1/events`. */
  event(
    type: string,
    object: StripeObject,
    options?: { delivered?: boolean; account?: string },
  ): Stripe.Event;
  /** The body and `Stripe-Signature` header Stripe would send for `event`. */
  sign(
    event: Stripe.Event,
    options?: { secret?: string; timestamp?: number },
  ): { payload: string; header: string };
  /** Posts `event` to `url` signed; resolves with the HTTP status. */
  deliver(
    url: string,
    event: Stripe.Event,
    options?: { secret?: string; timestamp?: number },
  ): Promise<number>;
  close(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string | undefined;
  stripeAccount: string | undefined;
}

export type StripeObject = Record<string, unknown> & { id: string; object: string };

const PREFIX: Record<string, string> = {
  customers: 'cus',
  products: 'prod',
  prices: 'price',
  'checkout/sessions': 'cs_test',
  'billing_portal/sessions': 'bps',
  accounts: 'acct',
  account_links: 'acctlink',
  payment_intents: 'pi',
  refunds: 're',
  subscriptions: 'sub',
};

const OBJECT_NAME: Record<string, string> = {
  customers: 'customer',
  products: 'product',
  prices: 'price',
  'checkout/sessions': 'checkout.session',
  'billing_portal/sessions': 'billing_portal.session',
  accounts: 'account',
  account_links: 'account_link',
  payment_intents: 'payment_intent',
  refunds: 'refund',
  subscriptions: 'subscription',
};

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export async function startStripeDouble(): Promise<StripeDouble> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, StripeObject>();
  const events: { event: Stripe.Event; delivered: boolean }[] = [];
  let port = 0;

  const put = (object: StripeObject) => {
    objects.set(object.id, object);
    return object;
  };

  function create(resource: string, body: Record<string, unknown>): StripeObject {
    const id = newId(PREFIX[resource] ?? 'obj');
    const base: StripeObject = {
      id,
      object: OBJECT_NAME[resource] ?? resource,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      metadata: {},
      ...body,
    };
    switch (resource) {
      case 'checkout/sessions':
        Object.assign(base, {
          url: `http://127.0.0.1:${port}/pay/${id}`,
          status: 'open',
          payment_status: 'unpaid',
        });
        break;
      case 'billing_portal/sessions':
        Object.assign(base, { url: `http://127.0.0.1:${port}/portal/${id}` });
        break;
      case 'account_links':
        Object.assign(base, {
          url: `http://127.0.0.1:${port}/connect/${id}`,
          expires_at: (base.created as number) + 300,
        });
        break;
      case 'accounts':
        Object.assign(base, { charges_enabled: false, payouts_enabled: false, details_submitted: false });
        break;
      case 'payment_intents':
        Object.assign(base, {
          client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
          status: 'requires_payment_method',
          amount: Number(body.amount),
          ...(body.application_fee_amount !== undefined
            ? { application_fee_amount: Number(body.application_fee_amount) }
            : {}),
        });
        break;
      case 'prices':
        Object.assign(base, { unit_amount: Number(body.unit_amount), active: true });
        break;
    }
    return put(base);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const raw = await readBody(req);
    const body = (req.method === 'GET' ? qs.parse(url.search.slice(1)) : qs.parse(raw)) as Record<
      string,
      unknown
    >;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      body,
      idempotencyKey: header(req, 'idempotency-key'),
      stripeAccount: header(req, 'stripe-account'),
    });
    if (header(req, 'authorization') !== `Bearer ${secretKey}`) {
      return send(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
      });
    }
    const path = url.pathname.replace(/^\/v1\//, '');
    if (req.method === 'GET' && path === 'events') {
      const undelivered = body.delivery_success === 'false';
      const data = events.filter((e) => !undelivered || !e.delivered).map((e) => e.event);
      return send(res, 200, { object: 'list', data: data.reverse(), has_more: false, url: '/v1/events' });
    }
    const match = /^(.+?)(?:\/([a-z]+_[A-Za-z0-9_]+))?(?:\/(cancel|confirm|expire))?$/.exec(path);
    const resource = match?.[1] ?? '';
    const id = match?.[2];
    if (id) {
      const object = objects.get(id);
      if (!object)
        return send(res, 404, { error: { type: 'invalid_request_error', message: `No such object: ${id}` } });
      if (req.method === 'POST') Object.assign(object, deepMerge(object, body));
      return send(res, 200, object);
    }
    if (req.method === 'POST' && OBJECT_NAME[resource]) return send(res, 200, create(resource, body));
    return send(res, 404, {
      error: { type: 'invalid_request_error', message: `Unrecognized request URL (${path})` },
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { error: { message: error.message } }));
  });
  port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );

  const sign: StripeDouble['sign'] = (event, options = {}) => {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? webhookSecret,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { payload, header };
  };

  return {
    sdkOptions: { host: '127.0.0.1', port, protocol: 'http' },
    secretKey,
    webhookSecret,
    requests,
    objects,
    put,
    event(type, object, options = {}) {
      const event = {
        id: newId('evt'),
        object: 'event',
        api_version: '2025-01-27.acacia',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        ...(options.account ? { account: options.account } : {}),
        data: { object: structuredClone(object) },
      } as unknown as Stripe.Event;
      events.push({ event, delivered: options.delivered ?? true });
      return event;
    },
    sign,
    async deliver(url, event, options) {
      const { payload, header } = sign(event, options);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      });
      await response.arrayBuffer();
      return response.status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
  res.end(JSON.stringify(body));
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
