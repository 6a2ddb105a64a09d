import { existsSync } from 'node:fs';
import { type App, createApp } from '@coterie/gateway';
import { dropNamespace, type SmtpInbox, startSmtpInbox, testInfra, uniqueNamespace } from '@coterie/testing';
import { freePort } from '@coterie/testing/ports';
import { DEFAULT_WEB_APP_DIR } from '../../../services/gateway/src/routes/web-app.ts';
import {
  gatewayConfig,
  type RunningServices,
  silentLogger,
  startServices,
} from '../../../services/gateway/test/integration/harness.ts';
import type { StripeDouble } from '../../support/stripe-double.ts';

export interface WebStack {
  /** The gateway's real origin, e.g. http://127.0.0.1:41234: the app's origin and the SIWE uri. */
  origin: string;
  gateway: App;
  inbox: SmtpInbox;
  stop(): Promise<void>;
}

export interface WebStackOptions {
  /**
   * Stripe's API double: entitlements, tipping and events call it; the gateway verifies its
   * webhooks and shows the app a publishable key (so the card form and its CSP are on).
   */
  stripe?: StripeDouble;
  /**
   * Confirmations tipping waits for (and the app is told about) on the dev chain; its default, 1,
   * confirms a mined transfer at once, so a test could not see `pending`.
   */
  confirmations?: number;
}

/** A publishable key the gateway accepts; only the test's Stripe.js stand-in ever sees it. */
export const TEST_PUBLISHABLE_KEY = 'pk_test_coterie_browser_tests';

/** `env` for each context, from the options. */
function stackEnv(origin: string, inbox: SmtpInbox, options: WebStackOptions) {
  const { stripe, confirmations } = options;
  const chains =
    confirmations === undefined
      ? undefined
      : JSON.stringify(
          (JSON.parse(testInfra().chainsJson) as object[]).map((chain) => ({ ...chain, confirmations })),
        );
  const stripeApi: Record<string, string> = stripe
    ? {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      }
    : {};
  return {
    services: {
      identity: { APP_ORIGIN: origin, SMTP_URL: inbox.url, EMAIL_START_PER_IP_PER_HOUR: '1000' },
      entitlements: stripe ? { ...stripeApi, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret } : {},
      tipping: { ...stripeApi, ...(chains ? { CHAINS: chains } : {}) },
      events: { ...stripeApi },
    },
    gateway: {
      ...(stripe
        ? { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_PUBLISHABLE_KEY: TEST_PUBLISHABLE_KEY }
        : {}),
      ...(chains ? { CHAINS: chains } : {}),
    },
  };
}

/**
 * The six services in a fresh namespace plus a listening gateway that serves the built web app.
 * The port is picked first so APP_ORIGIN (gateway CSRF, identity's SIWE domain/uri checks) is the
 * origin the browser really uses.
 */
export async function startWebStack(options: WebStackOptions = {}): Promise<WebStack> {
  if (!existsSync(`${DEFAULT_WEB_APP_DIR}/index.html`)) {
    throw new Error(
      `the web app is not built (${DEFAULT_WEB_APP_DIR}): run \`pnpm --filter @coterie/web build\``,
    );
  }
  const namespace = uniqueNamespace('web');
  const inbox = await startSmtpInbox();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let services: RunningServices | undefined;
  let gateway: App | undefined;
  const stop = async () => {
    await gateway?.stop().catch(() => {});
    await services?.stopAll().catch(() => {});
    await inbox.close();
    await dropNamespace(namespace).catch(() => {});
  };
  try {
    const env = stackEnv(origin, inbox, options);
    services = await startServices(namespace, { env: env.services });
    gateway = createApp(
      gatewayConfig(namespace, {
        PORT: String(port),
        HOST: '127.0.0.1',
        APP_ORIGIN: origin,
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
        AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: '10000',
        ...env.gateway,
      }),
      { logger: silentLogger },
    );
    await gateway.start();
    return { origin, gateway, inbox, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
