import { randomUUID } from 'node:crypto';
import type { ServiceEnv } from '@coterie/config';
import type { Context, HealthResponse } from '@coterie/contracts';
import { healthRpc } from '@coterie/contracts';
import { createPool, type MigrationSource, migrate, type Pool, schemaNameFor } from '@coterie/db';
import { createLogger, type Logger } from '@coterie/logger';
import {
  type ConsumerOptions,
  connectNats,
  createNaming,
  createRpcClient,
  ensureStreams,
  messagingMigrations,
  type Naming,
  type NatsConnection,
  type OutboxRelay,
  type RpcClient,
  type RpcEndpoint,
  type RunningConsumer,
  rpcEndpoint,
  startConsumer,
  startOutboxRelay,
  startRpcService,
} from '@coterie/messaging';
import { observeGauge } from '@coterie/telemetry';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Service } from '@nats-io/services';

/** What every service's use cases and handlers are built from. */
export interface ServiceRuntime {
  readonly context: Context;
  readonly instanceId: string;
  readonly logger: Logger;
  readonly pool: Pool;
  readonly schema: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly naming: Naming;
  readonly relay: OutboxRelay;
  readonly rpc: RpcClient;
}

export type ConsumerSpec = Omit<ConsumerOptions, 'js' | 'jsm' | 'naming' | 'logger'>;

export interface StartServiceOptions {
  context: Context;
  version: string;
  env: ServiceEnv;
  /** The service's own `migrations/` folder. */
  migrationsDir: string;
  /**
   * Other contexts whose streams this service consumes: ensured at start so start-up order does
   * not matter (creating a stream is idempotent and never deletes).
   */
  consumesFrom?: Context[];
  logger?: Logger;
  endpoints?: (runtime: ServiceRuntime) => RpcEndpoint[];
  consumers?: (runtime: ServiceRuntime) => ConsumerSpec[];
  /** Work that must stop before the pool closes (timers, watchers). */
  onStop?: () => Promise<void>;
}

export interface RunningService {
  readonly runtime: ServiceRuntime;
  readonly consumers: RunningConsumer[];
  stop(): Promise<void>;
}

/**
 * The start-up every service shares: schema + migrations, NATS + its context's stream,
 * the outbox relay, the RPC service (with `health`), and the event consumers. `stop()`
 * undoes it in reverse order, so a SIGTERM finishes in-flight work and loses nothing.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { context, env } = options;
  const logger = options.logger ?? createLogger({ name: context, level: env.LOG_LEVEL });
  const naming = createNaming(env.COTERIE_NAMESPACE);
  const schema = schemaNameFor(context, env.COTERIE_NAMESPACE);
  const pool = createPool({
    connectionString: env.DATABASE_URL,
    schema,
    max: env.DATABASE_POOL_MAX,
    applicationName: `coterie-${context}`,
  });
  const instanceId = randomUUID();
  const cleanups: (() => Promise<unknown>)[] = [() => pool.end()];
  try {
    const sources: MigrationSource[] = [
      messagingMigrations,
      { component: 'service', dir: options.migrationsDir },
    ];
    await migrate(pool, schema, sources);

    const nc = await connectNats({ url: env.NATS_URL, name: `${context}-${instanceId.slice(0, 8)}` });
    cleanups.unshift(() => nc.drain());
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await ensureStreams(jsm, naming, [context, ...(options.consumesFrom ?? [])], {
      replicas: env.NATS_STREAM_REPLICAS,
    });

    const relay = startOutboxRelay({ pool, js, naming, logger });
    cleanups.unshift(() => relay.stop());
    // Replicas share the outbox table, so each reports the same backlog: aggregate with max().
    const unobserveBacklog = observeGauge(
      'coterie.outbox.backlog',
      'Outbox rows committed but not yet published to JetStream',
      async () => [{ value: await relay.backlog(), attributes: { 'service.context': context } }],
    );
    cleanups.unshift(async () => unobserveBacklog());
    const rpc = createRpcClient(nc, naming);
    const runtime: ServiceRuntime = {
      context,
      instanceId,
      logger,
      pool,
      schema,
      nc,
      js,
      jsm,
      naming,
      relay,
      rpc,
    };

    const service: Service = await startRpcService({
      nc,
      naming,
      logger,
      name: context,
      discoveryName: naming.serviceName(context),
      version: options.version,
      endpoints: [healthEndpoint(runtime, options.version), ...(options.endpoints?.(runtime) ?? [])],
    });
    cleanups.unshift(() => service.stop());

    const consumers = await Promise.all(
      (options.consumers?.(runtime) ?? []).map((spec) => startConsumer({ ...spec, js, jsm, naming, logger })),
    );
    cleanups.unshift(() => Promise.all(consumers.map((c) => c.stop())));
    if (options.onStop) cleanups.unshift(options.onStop);

    logger.info({ schema, namespace: naming.namespace, instanceId }, `${context} service started`);
    let stopping: Promise<void> | undefined;
    return {
      runtime,
      consumers,
      stop: () => {
        stopping ??= runCleanups(cleanups, logger);
        return stopping;
      },
    };
  } catch (error) {
    await runCleanups(cleanups, logger);
    throw error;
  }
}

async function runCleanups(cleanups: (() => Promise<unknown>)[], logger: Logger): Promise<void> {
  for (const cleanup of cleanups) {
    await cleanup().catch((error) => logger.warn({ err: error }, 'error during shutdown'));
  }
}

function healthEndpoint(runtime: ServiceRuntime, version: string): RpcEndpoint {
  return rpcEndpoint(healthRpc(runtime.context), async (): Promise<HealthResponse> => {
    const checks: HealthResponse['checks'] = {};
    try {
      await withTimeout(runtime.pool.query('SELECT 1'), 2_000);
      checks.postgres = { ok: true };
    } catch (error) {
      checks.postgres = { ok: false, detail: (error as Error).message };
    }
    try {
      const backlog = await withTimeout(runtime.relay.backlog(), 2_000);
      checks.outbox = { ok: true, detail: `${backlog} pending` };
    } catch (error) {
      checks.outbox = { ok: false, detail: (error as Error).message };
    }
    return {
      service: runtime.context,
      version,
      instanceId: runtime.instanceId,
      status: Object.values(checks).every((c) => c.ok) ? 'ok' : 'degraded',
      checks,
    };
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}
