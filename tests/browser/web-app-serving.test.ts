import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { problemDetails } from '../../services/gateway/src/plugins/app/problem-details.ts';
import { webAppRoutes } from '../../services/gateway/src/routes/web-app.ts';

/** The serving rules of the web app on a bare Fastify with the gateway's problem+json handler. */
async function serve(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(problemDetails);
  await app.register(webAppRoutes, { root });
  app.get('/v1/config', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the gateway serves the web app', () => {
  it('serves index.html (no-cache), hashed assets (immutable) and the SPA fallback for navigations', async () => {
    const root = mkdtempSync(join(tmpdir(), 'coterie-web-'));
    dirs.push(root);
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Coterie</title>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = await serve(root);

    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['cache-control']).toBe('no-cache');

    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const deepLink = await app.inject({
      url: '/c/some-community/events',
      headers: { accept: 'text/html,*/*' },
    });
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.body).toContain('<title>Coterie</title>');
    expect(deepLink.headers['cache-control']).toBe('no-cache');

    // Not a navigation, or an API path: the usual 404 problem.
    const script = await app.inject({ url: '/assets/missing.js', headers: { accept: '*/*' } });
    expect(script.statusCode).toBe(404);
    expect(script.headers['content-type']).toMatch(/^application\/problem\+json/);
    const api = await app.inject({ url: '/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'not_found' });
    expect((await app.inject({ url: '/v1/config' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('starts without a build and answers / with 503 web_app_not_built', async () => {
    const root = mkdtempSync(join(tmpdir(), 'coterie-web-empty-'));
    dirs.push(root);
    const app = await serve(root);
    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(503);
    expect(home.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(home.json()).toMatchObject({ status: 503, code: 'web_app_not_built' });
    expect((await app.inject({ url: '/v1/nope' })).statusCode).toBe(404);
    await app.close();
  });
});
