import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { problemDetails } from '../../services/gateway/src/plugins/app/problem-details.ts';
import { DEFAULT_WEB_APP_DIR, webAppRoutes } from '../../services/gateway/src/routes/web-app.ts';

/** The community page's first load must stay under this much JavaScript, gzipped (issue #9). */
const FIRST_LOAD_BUDGET_BYTES = 200 * 1024;

/**
 * The JS a first visit of any page (the directory and the community page are in the entry chunk)
 * downloads: the entry script of index.html and, recursively, its static imports. Lazy chunks
 * (`import()`: the other pages, Stripe's card form) are not part of it.
 */
function firstLoadScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+src="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)) {
      visit(`assets/${m[1]}`);
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen];
}

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

  it('keeps the first load of the community page under 200 KB of JS gzipped, without Stripe.js', () => {
    const dist = DEFAULT_WEB_APP_DIR;
    expect(
      existsSync(join(dist, 'index.html')),
      `the web app is not built (${dist}): run \`pnpm --filter @coterie/web build\``,
    ).toBe(true);
    const files = firstLoadScripts(dist);
    expect(files.length).toBeGreaterThan(0);
    const sizes = files.map((file) => {
      const code = readFileSync(join(dist, file));
      return { file, gzip: gzipSync(code, { level: 9 }).length, text: code.toString('utf8') };
    });
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.info(
      `first load: ${(total / 1024).toFixed(1)} KB of JS gzipped (${sizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KB`).join(', ')})`,
    );
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
    // The card form (Elements, Stripe.js's loader) is a lazy chunk: never on the first load.
    for (const { file, text } of sizes) {
      expect(text, file).not.toContain('js.stripe.com');
      expect(text, file).not.toContain('react-stripe-js');
    }
  });
});
