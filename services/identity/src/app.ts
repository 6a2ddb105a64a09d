import { fileURLToPath } from 'node:url';
import { createChainClients } from '@coterie/chain';
import type { Logger } from '@coterie/logger';
import { createLogger } from '@coterie/logger';
import { createMailer } from '@coterie/mailer';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import type { Config } from './config.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import { type Clock, type IdentityDeps, type Mailer, systemClock } from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  mailer?: Mailer;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
}

/** Composition root of the identity service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  const logger = overrides.logger ?? createLogger({ name: 'identity', level: config.LOG_LEVEL });
  const chains = createChainClients(config.CHAINS, { timeoutMs: config.SIWE_RPC_TIMEOUT_MS });
  return {
    async start() {
      running = await startService({
        context: 'identity',
        version: SERVICE_VERSION,
        env: config,
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        logger,
        endpoints: (runtime) => {
          const deps: IdentityDeps = {
            config,
            pool: runtime.pool,
            relay: runtime.relay,
            clock: overrides.clock ?? systemClock,
            mailer:
              overrides.mailer ?? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger }),
            logger,
            chainClient: (chainId) => chains.get(chainId),
          };
          return rpcEndpoints(deps);
        },
      });
      return running.runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}
