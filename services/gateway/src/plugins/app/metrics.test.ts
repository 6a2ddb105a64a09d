import { createServer } from 'node:net';
import { startTelemetry } from '@coterie/telemetry';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { metrics } from './metrics.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const metricsPort = await freePort();
const telemetry = startTelemetry({ serviceName: 'gateway-metrics-test', metricsPort });

describe('metrics plugin', () => {
  afterAll(() => telemetry.shutdown());

  it('serves request latency by route and status, and webhook failures, on /metrics', async () => {
    const app = Fastify();
    await app.register(metrics);
    app.get('/v1/communities/:c', async () => ({ ok: true }));
    app.post('/v1/webhooks/stripe', async (_request, reply) => reply.code(401).send({ error: 'signature' }));
    for (const c of ['a', 'b', 'c']) await app.inject({ method: 'GET', url: `/v1/communities/${c}` });
    await app.inject({ method: 'POST', url: '/v1/webhooks/stripe', payload: {} });
    await app.inject({ method: 'GET', url: '/nowhere' });

    let text = '';
    for (let attempt = 0; attempt < 50 && !text; attempt++) {
      text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((r) => (r.ok ? r.text() : ''))
        .catch(() => new Promise<string>((r) => setTimeout(() => r(''), 100)));
    }
    const line = (pattern: RegExp) => text.split('\n').find((l) => pattern.test(l));
    // The route template, never the raw path: one series for every community.
    expect(
      line(/^http_server_request_duration(_seconds)?_count\{.*http_route="\/v1\/communities\/:c".*\} 3$/),
    ).toBeDefined();
    expect(
      line(/^http_server_request_duration(_seconds)?_count\{.*http_route="unmatched".*\} 1$/),
    ).toBeDefined();
    expect(line(/^coterie_webhook_failures(_total)?\{.*webhook_provider="stripe".*\} 1$/)).toBeDefined();
    await app.close();
  });
});
