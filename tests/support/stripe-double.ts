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
  /**
   * Registers a webhook endpoint as Stripe does: every event made by `emit` is POSTed to `url`,
   * signed afresh per attempt, and retried with backoff on a non-2xx answer or a connection error.
   */
  addWebhookEndpoint(url: string, options?: WebhookEndpointOptions): void;
  /** `event()`, then delivered to every webhook endpoint in the background (like Stripe). */
  emit(type: string, object: StripeObject, options?: { account?: string }): Stripe.Event;
  /** Delivers a past event again (Stripe is at-least-once: a 2xx that got lost, a manual resend). */
  resend(eventId: string): void;
  /** Every delivery attempt, in the order they finished. */
  readonly attempts: DeliveryAttempt[];
  /** Stripe's `delivery_success`: the event reached every endpoint with a 2xx. */
  deliverySuccess(eventId: string): boolean;
  /** Resolves once no delivery is in flight or waiting to retry (each succeeded or gave up). */
  deliveriesSettled(): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookEndpointOptions {
  /**
   * The wait before each retry (Stripe's schedule spans three days; tests scale it down). After
   * the last one the delivery gives up and the event stays `delivery_success: false`.
   */
  retryDelaysMs?: readonly number[];
  /** How long one attempt may take before it counts as failed. */
  timeoutMs?: number;
  /** The endpoint's signing secret (default: the double's `webhookSecret`). */
  secret?: string;
}

export interface DeliveryAttempt {
  eventId: string;
  url: string;
  /** 1 for the first delivery of the event to this endpoint. */
  attempt: number;
  /** The HTTP status, or undefined when the connection failed or timed out. */
  status: number | undefined;
  error: string | undefined;
  ok: boolean;
  at: number;
}

/** 100 ms doubling to 1 s, then every second: ~14 s in all. */
const DEFAULT_RETRY_DELAYS_MS = [100, 200, 400, 800, ...Array.from({ length: 12 }, () => 1_000)];

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

export interface StripeDoubleOptions {
  /** Caps every list page below the `limit` asked for, so a few items exercise auto-pagination. */
  maxPageSize?: number;
}

export async function startStripeDouble(options: StripeDoubleOptions = {}): Promise<StripeDouble> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, StripeObject>();
  const events: EventRecord[] = [];
  const eventsById = new Map<string, EventRecord>();
  const endpoints: Required<WebhookEndpointOptions & { url: string }>[] = [];
  const attempts: DeliveryAttempt[] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let port = 0;

  // Stripe's idempotency: a POST repeated with the same key (per account) gets the first answer
  // again; the same key with other parameters is refused. Keys live for the double's lifetime.
  const idempotent = new Map<string, { params: string; status: number; body: unknown }>();

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
    if (req.method === 'GET' && path === 'events')
      return send(res, 200, listEvents(events, body, options.maxPageSize ?? 100));
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
    if (req.method === 'POST' && OBJECT_NAME[resource]) {
      const key = header(req, 'idempotency-key');
      if (key === undefined) return send(res, 200, create(resource, body));
      const scoped = `${header(req, 'stripe-account') ?? ''} ${key}`;
      const params = `${path} ${raw}`;
      const first = idempotent.get(scoped);
      if (!first) {
        const created = create(resource, body);
        idempotent.set(scoped, { params, status: 200, body: structuredClone(created) });
        return send(res, 200, created);
      }
      if (first.params !== params) {
        return send(res, 400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with (key ${key}).`,
          },
        });
      }
      return send(res, first.status, first.body);
    }
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

  const makeEvent = (type: string, object: StripeObject, account: string | undefined, delivered: boolean) => {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: delivered ? 0 : endpoints.length,
      request: { id: null, idempotency_key: null },
      type,
      ...(account ? { account } : {}),
      data: { object: structuredClone(object) },
    } as unknown as Stripe.Event;
    const record: EventRecord = { event, delivered, seq: events.length, succeeded: new Set() };
    events.push(record);
    eventsById.set(event.id, record);
    return record;
  };

  async function attemptOnce(endpoint: (typeof endpoints)[number], event: Stripe.Event) {
    const { payload, header } = sign(event, { secret: endpoint.secret });
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
        signal: AbortSignal.timeout(endpoint.timeoutMs),
      });
      await response.arrayBuffer();
      return { status: response.status, error: undefined };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return { status: undefined, error: cause?.code ?? (error as Error).name ?? String(error) };
    }
  }

  /** One endpoint's deliveries of one event: attempt, wait, attempt again until 2xx or give up. */
  async function deliverToEndpoint(record: EventRecord, endpoint: (typeof endpoints)[number]) {
    for (let attempt = 1; !closed; attempt++) {
      const { status, error } = await attemptOnce(endpoint, record.event);
      const ok = status !== undefined && status >= 200 && status < 300;
      attempts.push({
        eventId: record.event.id,
        url: endpoint.url,
        attempt,
        status,
        error,
        ok,
        at: Date.now(),
      });
      if (ok) {
        record.succeeded.add(endpoint.url);
        record.delivered = endpoints.every((e) => record.succeeded.has(e.url));
        (record.event as { pending_webhooks: number }).pending_webhooks =
          endpoints.length - record.succeeded.size;
        return;
      }
      const delay = endpoint.retryDelaysMs[attempt - 1];
      if (delay === undefined) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delay);
        timers.add(timer);
      });
    }
  }

  function startDeliveries(record: EventRecord) {
    for (const endpoint of endpoints) {
      const delivery = deliverToEndpoint(record, endpoint).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  }

  return {
    sdkOptions: { host: '127.0.0.1', port, protocol: 'http' },
    secretKey,
    webhookSecret,
    requests,
    objects,
    put,
    event(type, object, options = {}) {
      return makeEvent(type, object, options.account, options.delivered ?? true).event;
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
    addWebhookEndpoint(url, options = {}) {
      endpoints.push({
        url,
        retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        timeoutMs: options.timeoutMs ?? 5_000,
        secret: options.secret ?? webhookSecret,
      });
    },
    emit(type, object, options = {}) {
      const record = makeEvent(type, object, options.account, endpoints.length === 0);
      startDeliveries(record);
      return record.event;
    },
    resend(eventId) {
      const record = eventsById.get(eventId);
      if (!record) throw new Error(`the double made no event ${eventId}`);
      startDeliveries(record);
    },
    attempts,
    deliverySuccess: (eventId) => eventsById.get(eventId)?.delivered ?? false,
    async deliveriesSettled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface EventRecord {
  event: Stripe.Event;
  /** Stripe's `delivery_success`: false while a delivery is pending or after it gave up. */
  delivered: boolean;
  /** Creation order: events made within one second keep it in listings. */
  seq: number;
  /** Endpoints that answered 2xx. */
  succeeded: Set<string>;
}

/**
 * `GET /v1/events` as Stripe answers it: newest first; `type`, `types[]`, `delivery_success`
 * and `created` (a number or `{gt, gte, lt, lte}`) filters; `limit` (1–100, default 10) with
 * `starting_after` / `ending_before` cursors and `has_more`.
 */
function listEvents(events: readonly EventRecord[], query: Record<string, unknown>, maxPageSize: number) {
  const created = query.created;
  const bounds: Partial<Record<'gt' | 'gte' | 'lt' | 'lte', string>> =
    typeof created === 'string'
      ? { gte: created, lte: created }
      : ((created ?? {}) as Record<string, string>);
  const types = query.types ? (query.types as string[]) : query.type ? [String(query.type)] : undefined;
  const match = (r: EventRecord) => {
    const t = r.event.created;
    if (bounds.gt !== undefined && !(t > Number(bounds.gt))) return false;
    if (bounds.gte !== undefined && !(t >= Number(bounds.gte))) return false;
    if (bounds.lt !== undefined && !(t < Number(bounds.lt))) return false;
    if (bounds.lte !== undefined && !(t <= Number(bounds.lte))) return false;
    if (query.delivery_success !== undefined && String(r.delivered) !== String(query.delivery_success))
      return false;
    if (types && !types.some((type) => matchesType(type, r.event.type))) return false;
    return true;
  };
  const sorted = events
    .filter(match)
    .sort((a, b) => b.event.created - a.event.created || b.seq - a.seq)
    .map((r) => r.event);
  const limit = Math.min(maxPageSize, 100, Math.max(1, Number(query.limit ?? 10) || 10));
  let start = 0;
  let end = sorted.length;
  if (typeof query.starting_after === 'string') {
    start = sorted.findIndex((e) => e.id === query.starting_after) + 1;
    end = Math.min(sorted.length, start + limit);
  } else if (typeof query.ending_before === 'string') {
    end = Math.max(
      0,
      sorted.findIndex((e) => e.id === query.ending_before),
    );
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(sorted.length, limit);
  }
  const hasMore = typeof query.ending_before === 'string' ? start > 0 : end < sorted.length;
  return { object: 'list', data: sorted.slice(start, end), has_more: hasMore, url: '/v1/events' };
}

/** Stripe's `type` filter takes `*` wildcards, e.g. `invoice.*`. */
function matchesType(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(type);
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
