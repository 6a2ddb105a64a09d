import { existsSync } from 'node:fs';
import { type App, createApp } from '@coterie/gateway';
import { dropNamespace, type SmtpInbox, startSmtpInbox, uniqueNamespace } from '@coterie/testing';
import { freePort } from '@coterie/testing/ports';
import { DEFAULT_WEB_APP_DIR } from '../../../services/gateway/src/routes/web-app.ts';
import {
  gatewayConfig,
  type RunningServices,
  silentLogger,
  startServices,
} from '../../../services/gateway/test/integration/harness.ts';

export interface WebStack {
  /** The gateway's real origin, e.g. http://127.0.0.1:41234: the app's origin and the SIWE uri. */
  origin: string;
  gateway: App;
  inbox: SmtpInbox;
  stop(): Promise<void>;
}

/**
 * The six services in a fresh namespace plus a listening gateway that serves the built web app.
 * The port is picked first so APP_ORIGIN (gateway CSRF, identity's SIWE domain/uri checks) is the
 * origin the browser really uses.
 */
export async function startWebStack(): Promise<WebStack> {
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
    services = await startServices(namespace, {
      env: { identity: { APP_ORIGIN: origin, SMTP_URL: inbox.url, EMAIL_START_PER_IP_PER_HOUR: '1000' } },
    });
    gateway = createApp(
      gatewayConfig(namespace, {
        PORT: String(port),
        HOST: '127.0.0.1',
        APP_ORIGIN: origin,
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
        AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: '10000',
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
