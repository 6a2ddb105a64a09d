import { defineEvent, healthRpc } from '@coterie/contracts';
import { createPool, migrate, schemaNameFor, withTransaction } from '@coterie/db';
import { createLogger } from '@coterie/logger';
import {
  appendToOutbox,
  connectNats,
  createNaming,
  createRpcClient,
  ensureStreams,
  messagingMigrations,
  newEvent,
  startOutboxRelay,
} from '@coterie/messaging';
import { startService } from '@coterie/service-kit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { z } from 'zod';
import type { BenchRow } from './table.ts';

const benchEvent = defineEvent({
  type: 'analytics.bench.recorded',
  version: 1,
  data: z.object({ n: z.number() }),
});

export interface BenchInfra {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
}

/** Warm request/reply over NATS through the service kit (validation, tracing, health's DB query). */
export async function benchRpcRoundTrip(infra: BenchInfra, seconds = 3, concurrency = 32): Promise<BenchRow> {
  const service = await startService({
    context: 'analytics',
    version: '0.0.0',
    env: {
      DATABASE_URL: infra.databaseUrl,
      NATS_URL: infra.natsUrl,
      COTERIE_NAMESPACE: infra.namespace,
      LOG_LEVEL: 'silent',
      NATS_STREAM_REPLICAS: 1,
      DATABASE_POOL_MAX: 10,
    },
    migrationsDir: new URL('.', import.meta.url).pathname,
  });
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-client' });
  const rpc = createRpcClient(nc, createNaming(infra.namespace));
  const def = healthRpc('analytics');
  for (let i = 0; i < 200; i++) await rpc.call(def, {});
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await rpc.call(def, {});
        done += 1;
      }
    }),
  );
  const rate = done / ((performance.now() - started) / 1000);
  await nc.close();
  await service.stop();
  return {
    figure: 'RPC round trip over NATS (health, warm)',
    value: `${Math.round(rate)}/s`,
    target: '—',
    verdict: 'info',
  };
}

/** Events committed to the outbox and published to JetStream by the relay, per second. */
export async function benchOutboxRelay(infra: BenchInfra, events = 5_000): Promise<BenchRow> {
  const naming = createNaming(infra.namespace);
  const schema = schemaNameFor('bench', infra.namespace);
  const pool = createPool({ connectionString: infra.databaseUrl, schema });
  await migrate(pool, schema, [messagingMigrations]);
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-relay' });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, naming, ['analytics']);
  for (let i = 0; i < events; i += 500) {
    await withTransaction(pool, async (client) => {
      for (let j = i; j < Math.min(events, i + 500); j++) {
        await appendToOutbox(client, newEvent(benchEvent, { n: j }, { source: 'bench' }));
      }
    });
  }
  const started = performance.now();
  const relay = startOutboxRelay({
    pool,
    js: jetstream(nc),
    naming,
    logger: createLogger({ name: 'bench', level: 'silent' }),
  });
  await relay.drain();
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  const info = await jsm.streams.info(naming.stream('analytics'));
  await nc.close();
  await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pool.end();
  const exact = info.state.messages === events;
  return {
    figure: `Outbox relay: ${events} events → JetStream`,
    value: `${Math.round(events / seconds)}/s (${seconds.toFixed(2)} s, ${info.state.messages} stored)`,
    target: 'exactly one message each',
    verdict: exact ? 'pass' : 'fail',
  };
}
