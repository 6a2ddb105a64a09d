import { AppError, defineRpc } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { eventually } from '@coterie/testing';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
// Relative: messaging depends on telemetry, so telemetry cannot list messaging as a dependency.
import {
  appendToOutbox,
  createRpcClient,
  newEvent,
  rpcEndpoint,
  startConsumer,
  startOutboxRelay,
  startRpcService,
} from '../../messaging/src/index.ts';
import { messagingFixture, probeRecorded } from '../../messaging/test/fixture.ts';
import { observeGauge, startTelemetry } from '../src/index.ts';

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
const telemetry = startTelemetry({ serviceName: 'metrics-test', metricReaders: [reader] });

const recordRpc = defineRpc({
  subject: 'identity.rpc.record',
  request: z.object({ n: z.number().int() }),
  response: z.object({ eventId: z.string() }),
});

interface Point {
  attributes: Record<string, unknown>;
  value: unknown;
}

/** Collects now; the data points of the metric `name` in the newest export. */
async function pointsOf(name: string): Promise<Point[]> {
  exporter.reset();
  await reader.forceFlush();
  const batches: ResourceMetrics[] = exporter.getMetrics();
  const last = batches.at(-1);
  return (last?.scopeMetrics ?? [])
    .flatMap((scope) => scope.metrics)
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => metric.dataPoints as Point[]);
}

describe('metrics', () => {
  afterAll(() => telemetry.shutdown());

  it('records RPC latency on both sides, consumer outcomes and lag, and the outbox backlog', async () => {
    const f = await messagingFixture();
    const relay = startOutboxRelay({ pool: f.pool, js: f.js, naming: f.naming, logger: f.logger });
    const unobserve = observeGauge('coterie.outbox.backlog', 'outbox rows not yet published', async () => [
      { value: await relay.backlog(), attributes: { 'service.context': 'identity' } },
    ]);
    const service = await startRpcService({
      nc: f.nc,
      naming: f.naming,
      logger: f.logger,
      name: 'identity',
      discoveryName: f.naming.serviceName('identity'),
      version: '0.0.1',
      endpoints: [
        rpcEndpoint(recordRpc, async ({ n }) => {
          if (n < 0) throw new AppError('negative', 422, 'n must not be negative');
          const event = newEvent(probeRecorded, { n }, { source: 'identity' });
          await withTransaction(f.pool, (client) => appendToOutbox(client, event));
          relay.wake();
          return { eventId: event.id };
        }),
      ],
    });
    const consumer = await startConsumer({
      js: f.js,
      jsm: f.jsm,
      naming: f.naming,
      logger: f.logger,
      context: 'identity',
      durable: 'analytics--probe',
      events: [probeRecorded],
      backoffMs: () => 10,
      handle: async (event, _def, ctx) => {
        // Every third event fails once, then succeeds on redelivery.
        if ((event.data as { n: number }).n % 3 === 0 && ctx.deliveryCount === 1) throw new Error('flaky');
      },
    });
    try {
      const rpc = createRpcClient(f.nc, f.naming);
      for (let n = 1; n <= 6; n++) await rpc.call(recordRpc, { n });
      await expect(rpc.call(recordRpc, { n: -1 })).rejects.toThrow('negative');
      await eventually(() => consumer.stats.handled === 6);

      const client = await pointsOf('rpc.client.duration');
      const ok = client.find(
        (p) => p.attributes['rpc.method'] === 'identity.rpc.record' && p.attributes['rpc.outcome'] === 'ok',
      );
      expect(ok?.value).toMatchObject({ count: 6 });
      expect(client.some((p) => p.attributes['rpc.outcome'] === 'negative')).toBe(true);
      const server = await pointsOf('rpc.server.duration');
      expect(
        server.find((p) => p.attributes['rpc.outcome'] === 'ok')?.value as { count: number },
      ).toMatchObject({ count: 6 });

      const messages = await pointsOf('coterie.consumer.messages');
      const byOutcome = Object.fromEntries(messages.map((p) => [p.attributes.outcome, p.value]));
      expect(byOutcome).toMatchObject({ handled: 6, failed: 2 });
      expect(messages[0]?.attributes['messaging.consumer.group.name']).toBe(
        f.naming.durable('analytics--probe'),
      );

      const pending = await pointsOf('coterie.consumer.pending');
      expect(pending).toEqual([expect.objectContaining({ value: 0 })]);
      const backlog = await pointsOf('coterie.outbox.backlog');
      expect(backlog).toEqual([
        expect.objectContaining({ value: 0, attributes: { 'service.context': 'identity' } }),
      ]);

      // Lag: a second durable that is stuck on its first message has the rest (and it) pending.
      await consumer.stop();
      for (let n = 7; n <= 8; n++) await rpc.call(recordRpc, { n });
      await relay.drain();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const stuck = await startConsumer({
        js: f.js,
        jsm: f.jsm,
        naming: f.naming,
        logger: f.logger,
        context: 'identity',
        durable: 'events--probe',
        events: [probeRecorded],
        maxConcurrency: 1,
        handle: () => gate,
      });
      try {
        await eventually(async () => {
          const lag = await pointsOf('coterie.consumer.pending');
          const of = (durable: string) =>
            lag.find((p) => p.attributes['messaging.consumer.group.name'] === f.naming.durable(durable));
          expect(of('events--probe')?.value).toBe(8);
          return true;
        });
      } finally {
        release();
        await stuck.stop();
      }
    } finally {
      unobserve();
      await consumer.stop();
      await service.stop();
      await relay.stop();
      await f.close();
    }
  });
});
