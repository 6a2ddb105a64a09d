import { fileURLToPath } from 'node:url';
import type { Logger } from '@coterie/logger';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import type { Config } from './config.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
}

/** Composition root of the governance service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  return {
    async start() {
      running = await startService({
        context: 'governance',
        version: SERVICE_VERSION,
        env: config,
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        ...(overrides.logger ? { logger: overrides.logger } : {}),
        endpoints: (runtime) => rpcEndpoints(runtime),
      });
      return running.runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}
