import { AppError } from '@coterie/contracts';
import { dropNamespace, uniqueNamespace } from '@coterie/testing';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { problemResponses } from '../../src/problems.ts';
import { gatewayConfig, silentLogger } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectProblem(
  res: { headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toEqual({
    type: `https://coterie.dev/problems/${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
  return body as { title: string; detail: string };
}

// Test-only routes; hidden from the OpenAPI document.
const testRoutes: FastifyPluginAsyncTypebox = async (f) => {
  const hide = true;
  f.get(
    '/test/items',
    {
      schema: {
        hide,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100 }) }),
        // The error schemas too, so the 400 below is serialized through them like a real route's.
        response: { 200: Type.Object({ limit: Type.Integer() }), ...problemResponses },
      },
    },
    async (request) => ({ limit: request.query.limit }),
  );
  f.get('/test/taken', { schema: { hide } }, async () => {
    throw new AppError('wallet_taken', 409, 'this wallet belongs to another member');
  });
  f.get('/test/boom', { schema: { hide } }, async () => {
    throw new Error('secret connection string postgres://u:p@db');
  });
  f.get(
    '/test/limited',
    { schema: { hide }, config: { rateLimit: { max: 1, timeWindow: 60_000 } } },
    async () => ({
      ok: true,
    }),
  );
};

describe('gateway HTTP basics', () => {
  const namespace = uniqueNamespace('gwh');
  let app: App | undefined;

  beforeAll(async () => {
    app = createApp(gatewayConfig(namespace), { logger: silentLogger });
    // Registered before the first request, like any route plugin.
    app.fastify.register(testRoutes);
    await app.fastify.ready();
  });

  afterAll(async () => {
    await app?.stop();
    await dropNamespace(namespace);
  });

  it('GET /healthz is 200 {status:"ok"}', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    const body = expectProblem(res, 404, 'not_found');
    expect(body.title).toBe('Not Found');
    expect(body.detail).toBe('no route for GET /v1/nope');
  });

  it('answers a malformed URL (rejected before routing) with a 400 problem', async () => {
    const res = await app!.fastify.inject({
      method: 'GET',
      url: '/%',
      headers: { 'x-request-id': 'bad-url' },
    });
    expect(res.statusCode).toBe(400);
    expectProblem(res, 400, 'invalid_request');
    expect(res.headers['x-request-id']).toBe('bad-url');
  });

  it('answers a validation error with a 400 problem naming the field', async () => {
    const wrongType = await app!.fastify.inject({ method: 'GET', url: '/test/items?limit=many' });
    expect(wrongType.statusCode).toBe(400);
    expect(expectProblem(wrongType, 400, 'invalid_request').detail).toMatch(/^querystring\/limit /);

    const missing = await app!.fastify.inject({ method: 'GET', url: '/test/items' });
    expect(missing.statusCode).toBe(400);
    expect(expectProblem(missing, 400, 'invalid_request').detail).toBe('querystring/limit is required');

    const ok = await app!.fastify.inject({ method: 'GET', url: '/test/items?limit=5' });
    expect(ok.json()).toEqual({ limit: 5 });
  });

  it('answers an AppError with its own status and code', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/test/taken' });
    expect(res.statusCode).toBe(409);
    expect(expectProblem(res, 409, 'wallet_taken').detail).toBe('this wallet belongs to another member');
  });

  it('answers an unexpected error with a 500 problem that leaks nothing', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(expectProblem(res, 500, 'internal').detail).toBe('internal error');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('at ');
  });

  it('answers a rate-limited route with a 429 problem', async () => {
    const first = await app!.fastify.inject({ method: 'GET', url: '/test/limited' });
    expect(first.statusCode).toBe(200);
    const second = await app!.fastify.inject({ method: 'GET', url: '/test/limited' });
    expect(second.statusCode).toBe(429);
    expectProblem(second, 429, 'rate_limited');
    expect(second.headers['retry-after']).toBeDefined();
  });

  it('echoes a sane x-request-id and replaces anything else with a uuid', async () => {
    const given = await app!.fastify.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc.DEF_1-2' },
    });
    expect(given.headers['x-request-id']).toBe('abc.DEF_1-2');

    const tooLong = await app!.fastify.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a'.repeat(129) },
    });
    expect(tooLong.headers['x-request-id']).toMatch(UUID);

    const odd = await app!.fastify.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(odd.headers['x-request-id']).toMatch(UUID);

    const none = await app!.fastify.inject({ method: 'GET', url: '/healthz' });
    expect(none.headers['x-request-id']).toMatch(UUID);

    const onError = await app!.fastify.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'req-404' },
    });
    expect(onError.statusCode).toBe(404);
    expect(onError.headers['x-request-id']).toBe('req-404');
  });

  it('serves the OpenAPI 3 document at /docs/json and the UI at /docs', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'Coterie API', version: '1' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/v1/config']));
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/test'))).toEqual([]);
    for (const path of ['/healthz', '/readyz', '/v1/config']) {
      expect(doc.paths[path].get.tags).toEqual(['operations']);
      expect(doc.paths[path].get.responses['200'].content['application/json'].schema).toBeDefined();
    }
    expect(Object.keys(doc.paths['/readyz'].get.responses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.paths['/v1/config'].get.responses['4XX'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });

    const ui = await app!.fastify.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
  });

  it('GET /v1/config without Stripe or demo contracts', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/v1/config' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      appDomain: 'localhost:3000',
      appOrigin: 'http://localhost:3000',
      stripe: { enabled: false },
    });
    expect(body.stripe).not.toHaveProperty('publishableKey');
    expect(body).not.toHaveProperty('demo');
    for (const chain of body.chains) {
      expect(Object.keys(chain).sort()).toEqual(['chainId', 'confirmations', 'name']);
    }
  });
});

describe('gateway GET /v1/config with everything configured', () => {
  const namespace = uniqueNamespace('gwc');
  const contracts = {
    CommunityToken: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    MembershipPass: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
    MemberBadge: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    SmartWallet: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
  };
  let app: App | undefined;

  beforeAll(async () => {
    app = createApp(
      gatewayConfig(namespace, {
        APP_ORIGIN: 'https://club.example.com',
        CHAINS: JSON.stringify([
          { chainId: 31337, name: 'Dev', rpcUrl: 'http://127.0.0.1:8545/key-secret', confirmations: 2 },
        ]),
        STRIPE_PUBLISHABLE_KEY: 'pk_test_123',
        DEMO_INFO: JSON.stringify({ communitySlug: 'demo', contracts }),
      }),
      { logger: silentLogger },
    );
    await app.fastify.ready();
  });

  afterAll(async () => {
    await app?.stop();
    await dropNamespace(namespace);
  });

  it('shows chains (never their RPC URLs), Stripe and the demo contracts', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/v1/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      appDomain: 'club.example.com',
      appOrigin: 'https://club.example.com',
      chains: [{ chainId: 31337, name: 'Dev', confirmations: 2 }],
      stripe: { enabled: true, publishableKey: 'pk_test_123' },
      demo: { communitySlug: 'demo', contracts },
    });
    expect(res.body).not.toContain('key-secret');
  });
});
