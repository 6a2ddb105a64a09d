import { fileURLToPath } from 'node:url';
import { createChainClients } from '@coterie/chain';
import { createLogger, type Logger } from '@coterie/logger';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import { createStripeClient } from '@coterie/stripe';
import { createCommunityDirectory } from './adapters/entitlements/community-directory.ts';
import { createConnectedAccounts } from './adapters/entitlements/connected-accounts.ts';
import { createMemberDirectory } from './adapters/identity/member-directory.ts';
import { createPaymentIntents } from './adapters/stripe/payment-intents.ts';
import { type Confirmer, startConfirmer } from './application/confirm-pending-tips.ts';
import type { Config } from './config.ts';
import { memberErasedConsumer } from './handlers/events/identity.member.erased.v1.ts';
import { stripeEventsConsumer } from './handlers/events/tipping.stripe-event.received.v1.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import {
  type Clock,
  type CommunityDirectory,
  type ConnectedAccounts,
  type MemberDirectory,
  type PaymentIntents,
  systemClock,
  type TippingDeps,
} from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  members?: MemberDirectory;
  communities?: CommunityDirectory;
  /** Where fiat tips to a community are paid; by default entitlements' Connect account. */
  connectedAccounts?: ConnectedAccounts;
  payments?: PaymentIntents;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
  /** The use cases' dependencies once started (tests read the ledger with them). */
  readonly deps: TippingDeps | undefined;
}

/** Composition root of the tipping service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  let deps: TippingDeps | undefined;
  let confirmer: Confirmer | undefined;
  const logger = overrides.logger ?? createLogger({ name: 'tipping', level: config.LOG_LEVEL });
  const chains = createChainClients(config.CHAINS, { timeoutMs: config.TIP_CHAIN_RPC_TIMEOUT_MS });
  const stripe = config.STRIPE_SECRET_KEY
    ? createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiBaseUrl: config.STRIPE_API_BASE_URL })
    : undefined;

  const depsOf = (runtime: ServiceRuntime): TippingDeps => {
    deps ??= {
      config,
      pool: runtime.pool,
      logger,
      clock: overrides.clock ?? systemClock,
      wakeRelay: () => runtime.relay.wake(),
      members: overrides.members ?? createMemberDirectory(runtime.rpc),
      communities: overrides.communities ?? createCommunityDirectory(runtime.rpc),
      connectedAccounts: overrides.connectedAccounts ?? createConnectedAccounts(runtime.rpc),
      payments: overrides.payments ?? (stripe ? createPaymentIntents(stripe) : undefined),
      chainClient: (chainId) => chains.get(chainId),
    };
    return deps;
  };

  return {
    get deps() {
      return deps;
    },
    async start() {
      running = await startService({
        context: 'tipping',
        version: SERVICE_VERSION,
        env: config,
        consumesFrom: ['identity'],
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        logger,
        endpoints: (runtime) => rpcEndpoints(depsOf(runtime)),
        consumers: (runtime) => [
          stripeEventsConsumer(depsOf(runtime)),
          memberErasedConsumer(depsOf(runtime)),
        ],
        onStop: async () => {
          await confirmer?.stop();
        },
      });
      confirmer = startConfirmer(depsOf(running.runtime), config.TIP_CONFIRMER_INTERVAL_MS);
      return running.runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}
