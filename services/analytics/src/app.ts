import { fileURLToPath } from 'node:url';
import type { Logger } from '@coterie/logger';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import { createAccessPort } from './adapters/entitlements/access.ts';
import type { Config } from './config.ts';
import { eventConsumers, SOURCE_CONTEXTS } from './handlers/events/index.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import type { AccessPort, Deps } from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url));

export interface AppOverrides {
  logger?: Logger;
  access?: AccessPort;
  now?: () => Date;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
  /** The running consumers (tests wait for them to catch up). */
  readonly running: RunningService | undefined;
}

/** Composition root of the analytics service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  let deps: Deps | undefined;
  const depsOf = (runtime: ServiceRuntime): Deps => {
    deps ??= {
      pool: runtime.pool,
      logger: runtime.logger,
      access: overrides.access ?? createAccessPort(runtime.rpc),
      wakeRelay: () => runtime.relay.wake(),
      now: overrides.now ?? (() => new Date()),
    };
    return deps;
  };
  return {
    get running() {
      return running;
    },
    async start() {
      running = await startService({
        context: 'analytics',
        version: SERVICE_VERSION,
        env: config,
        consumesFrom: SOURCE_CONTEXTS.filter((c) => c !== 'analytics'),
        migrationsDir: MIGRATIONS_DIR,
        ...(overrides.logger ? { logger: overrides.logger } : {}),
        endpoints: (runtime) => rpcEndpoints(depsOf(runtime)),
        consumers: (runtime) => eventConsumers(runtime.pool),
      });
      return running.runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}
