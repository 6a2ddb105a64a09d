import { type Envelope, eventSubject } from '@coterie/contracts';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type NatsConnection,
  type RpcClient,
} from '@coterie/messaging';
import { dropNamespace, eventually, serviceEnvFor, testInfra, uniqueNamespace } from '@coterie/testing';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { type App, createApp } from '../../src/app.ts';
import { type Config, configSchema } from '../../src/config.ts';
import { type EntitlementsDouble, startEntitlementsDouble } from './entitlements-double.ts';

export interface AnalyticsFixture {
  namespace: string;
  config: Config;
  app: App;
  rpc: RpcClient;
  nc: NatsConnection;
  js: JetStreamClient;
  entitlements: EntitlementsDouble;
  /** The service's clock (NPS answers and spend entries are dated by it). */
  clock: { now: Date };
  /**
   * Publishes envelopes into their context's stream as the owning services' outbox relays do
   * (`msgID` = event id); `redeliver` stores them again under another msg id, as a second delivery.
   */
  publish(events: readonly Envelope[], options?: { redeliver?: boolean }): Promise<void>;
  /** Waits until every consumer has acknowledged everything and the outbox is published. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function analyticsFixture(): Promise<AnalyticsFixture> {
  const namespace = uniqueNamespace('an');
  const config = configSchema.parse(serviceEnvFor(namespace));
  const entitlements = await startEntitlementsDouble(namespace);
  const clock = { now: new Date() };
  const app = createApp(config, {
    logger: createLogger({ name: 'analytics', level: 'silent' }),
    now: () => clock.now,
  });
  const runtime = await app.start();
  const nc = await connectNats({ url: testInfra().natsUrl, name: `${namespace}-test` });
  const naming = createNaming(namespace);
  const rpc = createRpcClient(nc, naming, { timeoutMs: 15_000 });
  const js = jetstream(nc);
  return {
    namespace,
    config,
    app,
    rpc,
    nc,
    js,
    entitlements,
    clock,
    async publish(events, options = {}) {
      for (const event of events) {
        await js.publish(naming.subject(eventSubject(event.type, event.version)), JSON.stringify(event), {
          msgID: options.redeliver ? `${event.id}:again` : event.id,
        });
      }
    },
    async caughtUp() {
      await eventually(
        async () => {
          if ((await runtime.relay.backlog()) > 0) return false;
          for (const consumer of app.running?.consumers ?? [])
            if ((await consumer.pending()) > 0) return false;
          return true;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    },
    async close() {
      await app.stop();
      await entitlements.stop();
      await nc.close();
      await dropNamespace(namespace);
    },
  };
}
