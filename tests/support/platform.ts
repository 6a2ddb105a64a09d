import { CONTEXTS, type Context } from '@coterie/contracts';
import { type App, createApp } from '@coterie/gateway';
import { dropNamespace, type SmtpInbox, startSmtpInbox, uniqueNamespace } from '@coterie/testing';
import {
  gatewayConfig,
  type Logger,
  type RunningServices,
  silentLogger,
  startServices,
} from '../../services/gateway/test/integration/harness.ts';
import { type Browser, type BrowserOptions, createBrowser } from './browser.ts';

export {
  capturingLogger,
  gatewayConfig,
  silentLogger,
  startServices,
} from '../../services/gateway/test/integration/harness.ts';

/** The gateway's default app origin, which identity also defaults to (SIWE domain and uri). */
export const APP_ORIGIN = 'http://localhost:3000';
export const APP_DOMAIN = 'localhost:3000';

/** identity's clock: the real time, or a fixed instant while `fixedMs` is set. */
export interface TestClock {
  fixedMs: number | undefined;
  now(): Date;
}

export interface PlatformOptions {
  /** Extra environment of the first gateway (e.g. rate limits). */
  gatewayEnv?: Record<string, string>;
  /** Extra environment of identity. SMTP_URL is set to the test inbox. */
  identityEnv?: Record<string, string>;
  /** Extra environment of the other services (e.g. Stripe keys for entitlements). */
  serviceEnv?: Partial<Record<Exclude<Context, 'identity'>, Record<string, string>>>;
  /** The logger of every service and gateway (default: silent), e.g. to capture what they log. */
  logger?: Logger;
}

export interface Platform {
  namespace: string;
  /** The first gateway replica. */
  gateway: App;
  /** A real SMTP listener identity mails to. */
  inbox: SmtpInbox;
  identityClock: TestClock;
  /** Another gateway replica in the same namespace (same services, streams and subjects). */
  startGateway(env?: Record<string, string>): Promise<App>;
  /** A cookie-keeping client of `app` (default: the first gateway), on the app's origin. */
  browser(options?: Partial<BrowserOptions> & { app?: App }): Browser;
  /**
   * Stops one service as SIGTERM would (in-flight work finishes, then its RPCs have no responders
   * and its consumers pause); `startService` brings it back as a fresh instance (new connections,
   * new instance id, same namespace, schemas, streams and durable consumers).
   */
  stopService(context: Context): Promise<void>;
  startService(context: Context): Promise<void>;
  stop(): Promise<void>;
}

/** The six services in a fresh namespace, identity mailing to a real SMTP inbox, and a gateway. */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const namespace = uniqueNamespace('e2e');
  const inbox = await startSmtpInbox();
  const identityClock: TestClock = {
    fixedMs: undefined,
    now: () => new Date(identityClock.fixedMs ?? Date.now()),
  };
  const gateways: App[] = [];
  let services: RunningServices | undefined;
  /** Who runs each context now: the first start, or the restart that brought it back. */
  const owners = new Map<Context, RunningServices>();
  const serviceOverrides = {
    env: { ...options.serviceEnv, identity: { SMTP_URL: inbox.url, ...options.identityEnv } },
    identityClock,
    ...(options.logger ? { logger: options.logger } : {}),
  };

  async function startGateway(env: Record<string, string> = {}): Promise<App> {
    const app = createApp(gatewayConfig(namespace, env), { logger: options.logger ?? silentLogger });
    gateways.push(app);
    await app.fastify.ready();
    return app;
  }

  async function stopService(context: Context): Promise<void> {
    await owners.get(context)?.stop(context);
    owners.delete(context);
  }

  async function startService(context: Context): Promise<void> {
    if (owners.has(context)) throw new Error(`${context} is running`);
    // The harness starts the six together (each configured exactly as at first); keep only one.
    const fresh = await startServices(namespace, serviceOverrides);
    for (const other of CONTEXTS) if (other !== context) await fresh.stop(other);
    owners.set(context, fresh);
  }

  async function stop(): Promise<void> {
    await Promise.allSettled(gateways.map((app) => app.stop()));
    await services?.stopAll();
    await Promise.allSettled([...new Set(owners.values())].map((s) => s.stopAll()));
    await inbox.close();
    await dropNamespace(namespace);
  }

  try {
    services = await startServices(namespace, serviceOverrides);
    for (const context of CONTEXTS) owners.set(context, services);
    const gateway = await startGateway(options.gatewayEnv);
    return {
      namespace,
      gateway,
      inbox,
      identityClock,
      startGateway,
      browser: ({ app = gateway, origin = APP_ORIGIN, ...rest } = {}) =>
        createBrowser(app, { origin, ...rest }),
      stopService,
      startService,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
