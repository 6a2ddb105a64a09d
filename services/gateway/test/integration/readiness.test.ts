import { startTelemetry } from '@coterie/telemetry';
import { dropNamespace, eventually, uniqueNamespace } from '@coterie/testing';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { gatewayConfig, type RunningServices, silentLogger, startServices } from './harness.ts';

// Once per file: the global tracer provider, the W3C propagator and the async context manager.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({
  serviceName: 'test',
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

const CONTEXTS = ['identity', 'entitlements', 'tipping', 'events', 'governance', 'analytics'];
const READYZ_TIMEOUT_MS = 1500;

function slowBody(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const piece = pieces.shift();
      if (piece === undefined) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, 30));
      controller.enqueue(encoder.encode(piece));
    },
  });
}

describe('gateway /readyz against the six services', () => {
  const namespace = uniqueNamespace('gw');
  let services: RunningServices | undefined;
  let app: App | undefined;

  beforeAll(async () => {
    services = await startServices(namespace);
    app = createApp(gatewayConfig(namespace, { READYZ_TIMEOUT_MS: String(READYZ_TIMEOUT_MS) }), {
      logger: silentLogger,
    });
    // Test-only: answers with the trace its handler runs in, after a body was parsed.
    app.fastify.register(async (f) => {
      f.post('/test/trace', { schema: { hide: true } }, async () => ({
        traceId: trace.getActiveSpan()?.spanContext().traceId,
      }));
    });
    await app.fastify.ready();
  });

  afterAll(async () => {
    await app?.stop();
    await services?.stopAll();
    await dropNamespace(namespace);
    await telemetry.shutdown();
  });

  it('is 200 and lists all six services when every one runs', async () => {
    const res = await app!.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.status).toBe('ready');
    expect(body.checks.nats).toEqual({ ok: true });
    expect(body.checks.postgres).toEqual({ ok: true });
    expect(Object.keys(body.checks.services).sort()).toEqual([...CONTEXTS].sort());
    for (const context of CONTEXTS) {
      expect(body.checks.services[context]).toMatchObject({
        ok: true,
        instanceId: expect.any(String),
        version: expect.any(String),
      });
    }
  });

  it('puts the gateway SERVER span and every service health span in one trace', async () => {
    exporter.reset();
    const res = await app!.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);

    const { server, processed } = await eventually(async () => {
      await telemetry.forceFlush();
      const spans = exporter.getFinishedSpans();
      const server = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /readyz');
      const processed = spans.filter(
        (s) => s.kind === SpanKind.SERVER && s.name.endsWith('.rpc.health process'),
      );
      if (!server || processed.length < CONTEXTS.length) throw new Error('spans not exported yet');
      return { server, processed };
    });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/readyz',
      'http.route': '/readyz',
      'http.response.status_code': 200,
    });
    const traceId = server.spanContext().traceId;
    const identity = processed.find((s) => s.name === 'identity.rpc.health process');
    expect(identity?.spanContext().traceId).toBe(traceId);
    expect(new Set(processed.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    // The RPC client spans hang directly off the gateway's span, i.e. the handler ran inside it.
    const sends = exporter.getFinishedSpans().filter((s) => s.name === 'identity.rpc.health send');
    expect(sends.map((s) => s.parentSpanContext?.spanId)).toContain(server.spanContext().spanId);
  });

  it('continues the trace a client started with traceparent', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    await app!.fastify.inject({
      method: 'GET',
      url: '/readyz',
      headers: { traceparent: `00-${traceId}-${parentId}-01` },
    });

    const spans = await eventually(async () => {
      await telemetry.forceFlush();
      const spans = exporter.getFinishedSpans();
      if (!spans.some((s) => s.name === 'identity.rpc.health process'))
        throw new Error('spans not exported yet');
      return spans;
    });
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'GET /readyz');
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe(parentId);
    expect(spans.find((s) => s.name === 'identity.rpc.health process')?.spanContext().traceId).toBe(traceId);
  });

  it('runs a handler inside the request span over a real socket, after body parsing', async () => {
    const { url } = await app!.start();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${url}/test/trace`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      // Sent in pieces with pauses: the rest of the body arrives in later socket reads, whose
      // callbacks run outside the request's context.
      body: slowBody(['{"n":', '1', '}']),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ traceId });
  });

  // Last: it stops a service for good.
  it('is 503 naming the stopped service, within the timeout', async () => {
    await services!.stop('tipping');
    const started = Date.now();
    const res = await app!.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(READYZ_TIMEOUT_MS + 500);
    expect(res.statusCode).toBe(503);
    // Not a problem+json: the readiness report is the body, so an operator sees what is down.
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.status).toBe('not_ready');
    expect(body.checks.services.tipping.ok).toBe(false);
    expect(body.checks.services.tipping.detail).toEqual(expect.any(String));
    expect(body.checks.services.identity.ok).toBe(true);
    expect(body.checks.nats.ok).toBe(true);
    expect(body.checks.postgres.ok).toBe(true);
  });
});
