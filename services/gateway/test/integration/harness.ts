import { createApp as createAnalytics } from '@coterie/analytics';
// Each service's own config schema, so its defaults and transforms apply exactly as in its main.ts.
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
import { createLogger } from '@coterie/logger';
import { serviceEnvFor } from '@coterie/testing';
import { createApp as createTipping } from '@coterie/tipping';
import { configSchema as tippingConfig } from '@coterie/tipping/config';
import { type Config, configSchema } from '../../src/config.ts';

export const silentLogger = createLogger({ name: 'test', level: 'silent' });

/** Secrets the services require and tests may invent. */
const TEST_SECRETS = {
  IDENTITY_TOKEN_SECRET: 'test-only-identity-token-secret-0123456789',
};

/** The environment of `namespace` as a process would see it: strings only. */
function envFor(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_SECRETS, ...serviceEnvFor(namespace), ...extra };
}

interface ServiceApp {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/** Per-service test settings: extra environment, and identity's clock. */
export interface ServiceOverrides {
  env?: Partial<Record<Context, Record<string, string>>>;
  /** identity's clock, e.g. to sign in exactly at a message's expiration time. */
  identityClock?: { now(): Date };
}

const serviceApps: Record<Context, (env: Record<string, string>, overrides: ServiceOverrides) => ServiceApp> =
  {
    identity: (env, overrides) =>
      createIdentity(loadConfig(identityConfig, env), {
        logger: silentLogger,
        ...(overrides.identityClock ? { clock: overrides.identityClock } : {}),
      }),
    entitlements: (env) => createEntitlements(loadConfig(entitlementsConfig, env), { logger: silentLogger }),
    tipping: (env) => createTipping(loadConfig(tippingConfig, env), { logger: silentLogger }),
    events: (env) => createEvents(loadConfig(eventsConfig, env), { logger: silentLogger }),
    governance: (env) => createGovernance(loadConfig(governanceConfig, env), { logger: silentLogger }),
    analytics: (env) => createAnalytics(loadConfig(analyticsConfig, env), { logger: silentLogger }),
  };

export interface RunningServices {
  stop(context: Context): Promise<void>;
  stopAll(): Promise<void>;
}

/** The six real services, in-process, in `namespace` (own schemas, streams and subjects). */
export async function startServices(
  namespace: string,
  overrides: ServiceOverrides = {},
): Promise<RunningServices> {
  const apps = new Map(
    Object.entries(serviceApps).map(([context, create]) => [
      context as Context,
      create(envFor(namespace, overrides.env?.[context as Context]), overrides),
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

/** The gateway's config for `namespace`, parsed like `main.ts` would from the environment. */
export function gatewayConfig(namespace: string, extra: Record<string, string> = {}): Config {
  return loadConfig(configSchema, envFor(namespace, { PORT: '0', ...extra }));
}
