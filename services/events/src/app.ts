import { fileURLToPath } from 'node:url';
import type { Logger } from '@coterie/logger';
import { createLogger } from '@coterie/logger';
import { createMailer } from '@coterie/mailer';
import { connectNats, createNaming, ensureStreams } from '@coterie/messaging';
import { type RunningService, type ServiceRuntime, startService } from '@coterie/service-kit';
import { createStripeClient } from '@coterie/stripe';
import { jetstreamManager } from '@nats-io/jetstream';
import { createConnectedAccounts } from './adapters/entitlements/connected-accounts.ts';
import { createAccessChecker } from './adapters/entitlements/create-access-checker.ts';
import { createMemberEmails } from './adapters/identity/create-member-emails.ts';
import { createPayments } from './adapters/stripe/create-payments.ts';
import { type MaintenanceLoop, runMaintenanceOnce, startMaintenanceLoop } from './application/maintenance.ts';
import type { Config } from './config.ts';
import { eventConsumers } from './handlers/events/index.ts';
import { rpcEndpoints } from './handlers/rpc/index.ts';
import {
  type AccessChecker,
  type Clock,
  type ConnectedAccounts,
  type Deps,
  type Mailer,
  type MemberEmails,
  type Payments,
  systemClock,
} from './ports.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  mailer?: Mailer;
  access?: AccessChecker;
  members?: MemberEmails;
  payments?: Payments;
  accounts?: ConnectedAccounts;
  /** Set to false to drive maintenance by hand with `runMaintenance()` (tests). */
  maintenanceLoop?: boolean;
}

export interface App {
  start(): Promise<ServiceRuntime>;
  stop(): Promise<void>;
  /** One pass of holds, refunds and reminders, as the loop does each tick. */
  runMaintenance(): Promise<void>;
  readonly deps: Deps | undefined;
}

/** Composition root of the events service: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  let running: RunningService | undefined;
  let deps: Deps | undefined;
  let loop: MaintenanceLoop | undefined;
  const logger = overrides.logger ?? createLogger({ name: 'events', level: config.LOG_LEVEL });
  const payments =
    overrides.payments ??
    (config.STRIPE_SECRET_KEY
      ? createPayments(
          createStripeClient({ secretKey: config.STRIPE_SECRET_KEY, apiBaseUrl: config.STRIPE_API_BASE_URL }),
        )
      : undefined);

  const depsOf = (runtime: ServiceRuntime): Deps => {
    deps ??= {
      pool: runtime.pool,
      logger,
      clock: overrides.clock ?? systemClock,
      wakeRelay: () => runtime.relay.wake(),
      access: overrides.access ?? createAccessChecker(runtime.rpc),
      members: overrides.members ?? createMemberEmails(runtime.rpc),
      mailer: overrides.mailer ?? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger }),
      payments,
      accounts: overrides.accounts ?? createConnectedAccounts(runtime.rpc),
      appOrigin: config.APP_ORIGIN.replace(/\/$/, ''),
      platformFeeBps: config.PLATFORM_FEE_BPS,
      ticketHoldMs: config.TICKET_HOLD_MS,
      holdReleaseGraceMs: config.HOLD_RELEASE_GRACE_MS,
    };
    return deps;
  };

  return {
    get deps() {
      return deps;
    },
    async start() {
      // We consume ENTITLEMENTS and IDENTITY: make sure they exist whatever the start-up order.
      await ensureForeignStreams(config);
      running = await startService({
        context: 'events',
        version: SERVICE_VERSION,
        env: config,
        migrationsDir: fileURLToPath(new URL('./adapters/postgres/migrations', import.meta.url)),
        logger,
        endpoints: (runtime) => rpcEndpoints(depsOf(runtime)),
        consumers: (runtime) => eventConsumers(depsOf(runtime)),
        onStop: async () => {
          await loop?.stop();
        },
      });
      if (overrides.maintenanceLoop !== false) {
        loop = startMaintenanceLoop(depsOf(running.runtime), config.EVENTS_TICK_MS);
      }
      return running.runtime;
    },
    async runMaintenance() {
      if (!deps) throw new Error('not started');
      await runMaintenanceOnce(deps);
    },
    async stop() {
      await running?.stop();
    },
  };
}

async function ensureForeignStreams(config: Config): Promise<void> {
  const nc = await connectNats({ url: config.NATS_URL, name: 'events-setup' });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, createNaming(config.COTERIE_NAMESPACE), ['entitlements', 'identity'], {
      replicas: config.NATS_STREAM_REPLICAS,
    });
  } finally {
    await nc.close();
  }
}
