import { fileURLToPath } from 'node:url';
import type { Logger } from '@coterie/logger';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import { createBalanceReader, type ReadBalances } from './adapters/chain/read-balances.ts';
import { createTransferLogReader, type TransferLogReader } from './adapters/chain/transfer-logs.ts';
import { createMemberDirectory } from './adapters/identity/member-directory.ts';
import { createStripeBilling, type StripeBilling } from './adapters/stripe/stripe-billing.ts';
import { loadAccessView } from './application/load-access-view.ts';
import { type ReverificationLoop, startReverificationLoop } from './application/start-reverification-loop.ts';
import { type ChainWatcher, startChainWatcher } from './application/watch-transfers.ts';
import type { Config } from './config.ts';
import { AccessView } from './domain/access-view.ts';
import { eventConsumers } from './handlers/events/index.ts';
import { startAccessViewSync } from './handlers/events/sync-access-view.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import type { Deps, MemberDirectory } from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
  members?: MemberDirectory;
  readBalances?: ReadBalances;
  now?: () => Date;
  /** How often the re-verification loop looks for due memberships (default: 5 s or the interval if shorter). */
  reverifyTickMs?: number;
  /** Replaces the SDK-backed Stripe adapter (only used when Stripe keys are configured). */
  stripe?: StripeBilling;
  transferLogs?: TransferLogReader;
  /** Tests and benchmarks that drive the watcher themselves turn the loop off. */
  watchTransfers?: boolean;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
  /** This replica's in-memory view (what `check` answers from); for tests and benchmarks. */
  readonly view: AccessView;
  /** The use cases' dependencies once started (tests call use cases with them directly). */
  readonly deps: Deps | undefined;
}

/** Composition root of the entitlements service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  let deps: Deps | undefined;
  let sync: { stop(): Promise<void> } | undefined;
  let loop: ReverificationLoop | undefined;
  let watcher: ChainWatcher | undefined;
  const view = new AccessView();
  const chainTimeout = { timeoutMs: config.CHAIN_RPC_TIMEOUT_MS };
  const readBalances = overrides.readBalances ?? createBalanceReader(config.CHAINS, chainTimeout);
  const transferLogs = overrides.transferLogs ?? createTransferLogReader(config.CHAINS, chainTimeout);
  const stripe = config.stripe
    ? (overrides.stripe ??
      createStripeBilling({ secretKey: config.stripe.secretKey, apiBaseUrl: config.stripe.apiBaseUrl }))
    : undefined;

  const depsOf = (runtime: ServiceRuntime): Deps => {
    deps ??= {
      pool: runtime.pool,
      logger: runtime.logger,
      wakeRelay: () => runtime.relay.wake(),
      members: overrides.members ?? createMemberDirectory(runtime.rpc),
      readBalances,
      view,
      chainIds: new Set(config.CHAINS.map((c) => c.chainId)),
      now: overrides.now ?? (() => new Date()),
      reverifyIntervalMs: config.MEMBERSHIP_REVERIFY_INTERVAL_MS,
      wakeReverification: () => loop?.wake(),
      stripe,
      platformFeeBps: config.PLATFORM_FEE_BPS,
      graceMs: config.STRIPE_GRACE_DAYS * 86_400_000,
    };
    return deps;
  };

  return {
    view,
    get deps() {
      return deps;
    },
    async start() {
      running = await startService({
        context: 'entitlements',
        version: SERVICE_VERSION,
        env: config,
        consumesFrom: ['identity'],
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        ...(overrides.logger ? { logger: overrides.logger } : {}),
        endpoints: (runtime) => rpcEndpoints(depsOf(runtime)),
        consumers: (runtime) => eventConsumers(depsOf(runtime)),
        onStop: async () => {
          await watcher?.stop();
          await loop?.stop();
          await sync?.stop();
        },
      });
      const runtime = running.runtime;
      const d = depsOf(runtime);
      sync = await startAccessViewSync({
        js: runtime.js,
        naming: runtime.naming,
        view,
        logger: runtime.logger,
      });
      await loadAccessView(d);
      loop = startReverificationLoop(d, {
        tickMs: overrides.reverifyTickMs ?? Math.min(5_000, config.MEMBERSHIP_REVERIFY_INTERVAL_MS),
        batchSize: config.MEMBERSHIP_REVERIFY_BATCH_SIZE,
      });
      if (overrides.watchTransfers !== false) {
        watcher = startChainWatcher(d, transferLogs, config.CHAINS, {
          intervalMs: config.CHAIN_WATCH_INTERVAL_MS,
          maxBlocks: config.CHAIN_WATCH_MAX_BLOCKS,
        });
      }
      return runtime;
    },
    async stop() {
      await running?.stop();
    },
  };
}
