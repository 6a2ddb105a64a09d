import { defineRpc } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { injectTraceContext, SpanKind, startTelemetry, withSpan } from '@coterie/telemetry';
import { eventually } from '@coterie/testing';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { trace } from '@opentelemetry/api';
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

  it('keeps each message of a batch in its own trace, with its effect run in that trace', async () => {
    const f = await messagingFixture();
    const subject = f.naming.subject(probeRecorded.subject);
    // Ten requests, each publishing one event: on the stream before the consumer starts, so
    // they arrive together and form batches.
    const published = new Map<string, string>();
    for (let n = 1; n <= 10; n++) {
      await withSpan(`POST /v1/test/${n}`, { kind: SpanKind.SERVER }, async (span) => {
        const event = newEvent(probeRecorded, { n }, { source: 'identity' });
        const h = natsHeaders();
        injectTraceContext(h);
        await f.js.publish(subject, JSON.stringify(event), { msgID: event.id, headers: h });
        published.set(event.id, span.spanContext().traceId);
      });
    }
    const effectTraces = new Map<string, string | undefined>();
    const batchSizes: number[] = [];
    const consumer = await startConsumer({
      js: f.js,
      jsm: f.jsm,
      naming: f.naming,
      logger: f.logger,
      context: 'identity',
      durable: 'analytics--probe-batch',
      events: [probeRecorded],
      handle: async (event) => {
        effectTraces.set(event.id, trace.getActiveSpan()?.spanContext().traceId);
      },
      handleBatch: async (items) => {
        batchSizes.push(items.length);
        for (const item of items) {
          await item.inTrace(async () => {
            effectTraces.set(item.event.id, trace.getActiveSpan()?.spanContext().traceId);
          });
        }
      },
    });
    try {
      await eventually(() => consumer.stats.handled === 10);
      await telemetry.forceFlush();
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
      expect(effectTraces).toEqual(published);
      // Batched or not, each message's span is in the trace of the request that published it.
      const processSpans = exporter
        .getFinishedSpans()
        .filter(
          (s) => s.kind === SpanKind.CONSUMER && published.has(String(s.attributes['messaging.message.id'])),
        );
      expect(
        new Map(processSpans.map((s) => [s.attributes['messaging.message.id'], s.spanContext().traceId])),
      ).toEqual(published);
      expect(processSpans.every((s) => s.name === 'identity.probe.recorded.v1 process')).toBe(true);
      expect(
        processSpans.filter((s) => Number(s.attributes['messaging.batch.message_count']) > 1).length,
      ).toBe(batchSizes.filter((n) => n > 1).reduce((a, b) => a + b, 0));
    } finally {
      await consumer.stop();
      await f.close();
    }
  });
});
