import { fileURLToPath } from 'node:url';
import { createChainClients } from '@coterie/chain';
import type { Logger } from '@coterie/logger';
import { createLogger } from '@coterie/logger';
import { connectNats, createNaming, ensureStreams } from '@coterie/messaging';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import { jetstreamManager } from '@nats-io/jetstream';
import { createChainPort } from './adapters/chain/chain-port.ts';
import { createEntitlementsPort } from './adapters/services/entitlements-port.ts';
import { createIdentityPort } from './adapters/services/identity-port.ts';
import { type CloserLoop, startCloserLoop } from './application/start-closer-loop.ts';
import type { Config } from './config.ts';
import { eventConsumers } from './handlers/events/index.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import {
  type ChainPort,
  type Clock,
  type EntitlementsPort,
  type GovernanceDeps,
  type IdentityPort,
  systemClock,
} from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  chain?: ChainPort;
  entitlements?: EntitlementsPort;
  identity?: IdentityPort;
  /** Called for every JSON-RPC HTTP request to a chain (tests and benchmarks count calls). */
  onChainRequest?: (chainId: number) => void;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
  /** The use cases' dependencies once started (tests call use cases with them directly). */
  readonly deps: GovernanceDeps | undefined;
}

/** Composition root of the governance service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  let deps: GovernanceDeps | undefined;
  let closer: CloserLoop | undefined;
  const logger = overrides.logger ?? createLogger({ name: 'governance', level: config.LOG_LEVEL });
  const chain =
    overrides.chain ??
    createChainPort(
      createChainClients(config.CHAINS, {
        timeoutMs: config.GOVERNANCE_RPC_TIMEOUT_MS,
        ...(overrides.onChainRequest ? { onRequest: overrides.onChainRequest } : {}),
      }),
      { timeoutMs: config.GOVERNANCE_RPC_TIMEOUT_MS, multicallChunk: config.GOVERNANCE_MULTICALL_CHUNK },
    );

  const depsOf = (runtime: ServiceRuntime): GovernanceDeps => {
    deps ??= {
      config,
      pool: runtime.pool,
      wakeRelay: () => runtime.relay.wake(),
      clock: overrides.clock ?? systemClock,
      logger,
      chain,
      entitlements: overrides.entitlements ?? createEntitlementsPort(runtime.rpc),
      identity: overrides.identity ?? createIdentityPort(runtime.rpc),
    };
    return deps;
  };

  return {
    get deps() {
      return deps;
    },
    async start() {
      // We consume ENTITLEMENTS: make sure it exists even when entitlements has not started yet
      // (creating a stream is idempotent and never deletes).
      await ensureForeignStreams(config);
      running = await startService({
        context: 'governance',
        version: SERVICE_VERSION,
        env: config,
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        logger,
        endpoints: (runtime) => rpcEndpoints(depsOf(runtime)),
        consumers: (runtime) => eventConsumers(depsOf(runtime)),
        onStop: async () => {
          await closer?.stop();
        },
      });
      closer = startCloserLoop(depsOf(running.runtime), config.GOVERNANCE_CLOSE_INTERVAL_MS);
      return running.runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}

async function ensureForeignStreams(config: Config): Promise<void> {
  const nc = await connectNats({ url: config.NATS_URL, name: 'governance-setup' });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, createNaming(config.COTERIE_NAMESPACE), ['entitlements'], {
      replicas: config.NATS_STREAM_REPLICAS,
    });
  } finally {
    await nc.close();
  }
}
