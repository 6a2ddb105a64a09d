import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { helmet } from './helmet.ts';

async function appWith(options: { https: boolean; stripe?: boolean }) {
  const app = Fastify();
  await app.register(helmet, options);
  app.get('/v1/communities/:c', async () => ({ ok: true }));
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html>'));
  app.get('/docs', async (_request, reply) => reply.type('text/html').send('<!doctype html>'));
  return app;
}

describe('security headers', () => {
  it('gives JSON API responses the API set: nothing loads, frames or sniffs them', async () => {
    const app = await appWith({ https: true });
    for (const url of ['/v1/communities/a?x=1', '/healthz']) {
      const { headers } = await app.inject({ method: 'GET', url });
      expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      // Page-only policies stay off API responses.
      expect(headers['cross-origin-opener-policy']).toBeUndefined();
      expect(headers['x-dns-prefetch-control']).toBeUndefined();
    }
    await app.close();
  });

  it('gives pages (the web app, /docs) the full set, with Stripe allowed when configured', async () => {
    const app = await appWith({ https: false, stripe: true });
    for (const url of ['/', '/docs']) {
      const { headers } = await app.inject({ method: 'GET', url });
      const csp = String(headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' https://js.stripe.com");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(headers['x-content-type-options']).toBe('nosniff');
    }
    await app.close();
  });
});
