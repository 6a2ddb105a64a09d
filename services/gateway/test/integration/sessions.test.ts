import { dropNamespace, uniqueNamespace } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { gatewayConfig, silentLogger } from './harness.ts';

// A well-formed token (43 base64url characters), as identity issues them.
const TOKEN = 'A'.repeat(43);
const cookie = `coterie_session=${TOKEN}`;

function codeOf(res: { headers: Record<string, unknown>; json(): unknown }): string {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return (res.json() as { code: string }).code;
}

/** The session and CSRF plugins when identity does not answer (no services in this namespace). */
describe('gateway sessions and CSRF without identity', () => {
  const namespace = uniqueNamespace('gws');
  let app: App | undefined;

  beforeAll(async () => {
    app = createApp(gatewayConfig(namespace), { logger: silentLogger });
    await app.fastify.ready();
  });

  afterAll(async () => {
    await app?.stop();
    await dropNamespace(namespace);
  });

  it('serves public routes anonymously when the session cannot be resolved', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/v1/config', headers: { cookie } });
    expect(res.statusCode).toBe(200);
  });

  it('answers a member route with 503 when identity is down, and 401 without a cookie', async () => {
    const down = await app!.fastify.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
    expect(down.statusCode).toBe(503);
    expect(codeOf(down)).toBe('service_unavailable');
    const anonymous = await app!.fastify.inject({ method: 'GET', url: '/v1/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(codeOf(anonymous)).toBe('unauthenticated');
  });

  it('never asks identity about a cookie that cannot be a token', async () => {
    const res = await app!.fastify.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: 'coterie_session=not%20a%20token' },
    });
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('unauthenticated');
  });

  it('checks CSRF before anything else on state-changing requests with the cookie', async () => {
    const noOrigin = await app!.fastify.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie },
    });
    expect(noOrigin.statusCode).toBe(403);
    expect(codeOf(noOrigin)).toBe('csrf_failed');
    const wrongOrigin = await app!.fastify.inject({
      method: 'DELETE',
      url: '/v1/anything',
      headers: { cookie, origin: 'http://localhost:3001' },
    });
    expect(codeOf(wrongOrigin)).toBe('csrf_failed');
    // GET is not state-changing; a request without the cookie has nothing to forge.
    expect(
      (await app!.fastify.inject({ method: 'GET', url: '/v1/anything', headers: { cookie } })).statusCode,
    ).toBe(404);
    expect(
      (
        await app!.fastify.inject({
          method: 'POST',
          url: '/v1/anything',
          headers: { origin: 'https://evil.example' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('does not confirm a logout identity did not perform', async () => {
    const res = await app!.fastify.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie, origin: 'http://localhost:3000' },
    });
    expect(res.statusCode).toBe(503);
  });

  it('exempts signed webhooks from the CSRF check', async () => {
    const res = await app!.fastify.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).not.toBe(403);
  });
});
