import { createApp as createAnalytics } from '@coterie/analytics';
import { configSchema as analyticsConfig } from '@coterie/analytics/config';
import { loadConfig } from '@coterie/config';
import type { Context } from '@coterie/contracts';
import { createApp as createEntitlements } from '@coterie/entitlements';
import { configSchema as entitlementsConfig } from '@coterie/entitlements/config';
import { createApp as createEvents } from '@coterie/events';
import { configSchema as eventsConfig } from '@coterie/events/config';
import { createApp as createGovernance } from '@coterie/governance';
import { configSchema as governanceConfig } from '@coterie/governance/config';
import { createApp as createIdentity } from '@coterie/identity';
import { configSchema as identityConfig } from '@coterie/identity/config';
import { createLogger, type Logger } from '@coterie/logger';
import { createApp as createTipping } from '@coterie/tipping';
import { configSchema as tippingConfig } from '@coterie/tipping/config';

/**
 * The six services in-process, each configured from an environment map as its `main.ts` would
 * be. No test-runner imports: benchmarks use it too.
 */
export const silentLogger = createLogger({ name: 'test', level: 'silent' });

export type { Logger } from '@coterie/logger';

/** A logger at `level` (default: everything) that keeps each line it writes, for tests that read logs. */
export function capturingLogger(level = 'trace'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'test',
    level,
    pretty: false,
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

interface ServiceApp {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Per-service settings: extra environment, and identity's clock. */
export interface ServiceOverrides {
  env?: Partial<Record<Context, Record<string, string>>>;
  /** identity's clock, e.g. to sign in exactly at a message's expiration time. */
  identityClock?: { now(): Date };
  /** Every service's logger (default: silent), e.g. to capture what they log. */
  logger?: Logger;
}

const serviceApps: Record<Context, (env: Record<string, string>, overrides: ServiceOverrides) => ServiceApp> =
  {
    identity: (env, overrides) =>
      createIdentity(loadConfig(identityConfig, env), {
        logger: overrides.logger ?? silentLogger,
        ...(overrides.identityClock ? { clock: overrides.identityClock } : {}),
      }),
    entitlements: (env, { logger = silentLogger }) =>
      createEntitlements(loadConfig(entitlementsConfig, env), { logger }),
    tipping: (env, { logger = silentLogger }) => createTipping(loadConfig(tippingConfig, env), { logger }),
    events: (env, { logger = silentLogger }) => createEvents(loadConfig(eventsConfig, env), { logger }),
    governance: (env, { logger = silentLogger }) =>
      createGovernance(loadConfig(governanceConfig, env), { logger }),
    analytics: (env, { logger = silentLogger }) =>
      createAnalytics(loadConfig(analyticsConfig, env), { logger }),
  };

export interface RunningServices {
  stop(context: Context): Promise<void>;
  stopAll(): Promise<void>;
}

/** Starts the six services with `envOf(context)` (plus the overrides' extra environment). */
export async function startServicesWithEnv(
  envOf: (context: Context) => Record<string, string>,
  overrides: ServiceOverrides = {},
): Promise<RunningServices> {
  const apps = new Map(
    Object.entries(serviceApps).map(([context, create]) => [
      context as Context,
      create({ ...envOf(context as Context), ...overrides.env?.[context as Context] }, overrides),
    ]),
  );
  const results = await Promise.allSettled([...apps.values()].map((app) => app.start()));
  const running: RunningServices = {
    async stop(context) {
      await apps.get(context)?.stop();
      apps.delete(context);
    },
    async stopAll() {
      await Promise.all([...apps.values()].map((app) => app.stop()));
      apps.clear();
    },
  };
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await running.stopAll();
    throw failure.reason;
  }
  return running;
}
