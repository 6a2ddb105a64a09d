import { defineRpc } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { SpanKind, startTelemetry, withSpan } from '@coterie/telemetry';
import { eventually } from '@coterie/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  appendToOutbox,
  createRpcClient,
  newEvent,
  rpcEndpoint,
  startConsumer,
  startOutboxRelay,
  startRpcService,
} from '../src/index.ts';
import { messagingFixture, probeRecorded } from './fixture.ts';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({
  serviceName: 'trace-test',
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

const recordRpc = defineRpc({
  subject: 'identity.rpc.record',
  request: z.object({ n: z.number().int() }),
  response: z.object({ eventId: z.string() }),
});

describe('trace context across NATS', () => {
  afterAll(() => telemetry.shutdown());

  it('continues one trace from a caller through an RPC handler into the consumer of the event it published', async () => {
    const f = await messagingFixture();
    const relay = startOutboxRelay({ pool: f.pool, js: f.js, naming: f.naming, logger: f.logger });
    const service = await startRpcService({
      nc: f.nc,
      naming: f.naming,
      logger: f.logger,
      name: 'identity',
      discoveryName: f.naming.serviceName('identity'),
      version: '0.0.1',
      endpoints: [
        rpcEndpoint(recordRpc, async ({ n }) => {
          const event = newEvent(probeRecorded, { n }, { source: 'identity' });
          await withTransaction(f.pool, (client) => appendToOutbox(client, event));
          relay.wake();
          return { eventId: event.id };
        }),
      ],
    });
    const handled: string[] = [];
    const consumer = await startConsumer({
      js: f.js,
      jsm: f.jsm,
      naming: f.naming,
      logger: f.logger,
      context: 'identity',
      durable: 'analytics--probe',
      events: [probeRecorded],
      handle: async (event) => {
        handled.push(event.id);
      },
    });
    try {
      const rpc = createRpcClient(f.nc, f.naming);
      const { traceId, eventId } = await withSpan(
        'GET /v1/test',
        { kind: SpanKind.SERVER },
        async (span) => ({
          traceId: span.spanContext().traceId,
          ...(await rpc.call(recordRpc, { n: 1 })),
        }),
      );
      await eventually(() => handled.includes(eventId));
      await telemetry.forceFlush();
      const spans = exporter.getFinishedSpans();
      const names = (kind: SpanKind) => spans.filter((s) => s.kind === kind).map((s) => s.name);
      const inTrace = spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name);
      expect(names(SpanKind.CONSUMER)).toContain('identity.probe.recorded.v1 process');
      expect(inTrace).toEqual(
        expect.arrayContaining([
          'GET /v1/test',
          'identity.rpc.record send',
          'identity.rpc.record process',
          'identity.probe.recorded.v1 publish',
          'identity.probe.recorded.v1 process',
        ]),
      );
    } finally {
      await consumer.stop();
      await service.stop();
      await relay.stop();
      await f.close();
    }
  });
});
