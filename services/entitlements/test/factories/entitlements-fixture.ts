import { randomUUID } from 'node:crypto';
import type { Envelope } from '@coterie/contracts';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type NatsConnection,
  type RpcClient,
} from '@coterie/messaging';
import type { ServiceRuntime } from '@coterie/service-kit';
import { dropNamespace, serviceEnvFor, testInfra, uniqueNamespace } from '@coterie/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { type App, type AppOverrides, createApp } from '../../src/app.ts';
import { configSchema } from '../../src/config.ts';
import { type IdentityDouble, startIdentityDouble } from './identity-double.ts';

export interface EntitlementsFixture {
  namespace: string;
  app: App;
  runtime: ServiceRuntime;
  identity: IdentityDouble;
  rpc: RpcClient;
  nc: NatsConnection;
  /** Starts one more replica of the service in the same namespace. */
  startReplica(): Promise<App>;
  /** Every event in the namespace's ENTITLEMENTS stream, oldest first. */
  events(): Promise<Envelope[]>;
  close(): Promise<void>;
}

export const newMemberId = () => randomUUID();

/**
 * One isolated deployment: its own schemas, streams and subjects, torn down by `close()`.
 * The transfer-log watcher is off unless `overrides.watchTransfers` turns it on: tests that
 * assert on what a refresh does must not race it.
 */
export async function entitlementsFixture(
  env: Record<string, string> = {},
  appOverrides: AppOverrides = {},
): Promise<EntitlementsFixture> {
  const namespace = uniqueNamespace('ent');
  const config = configSchema.parse({ ...serviceEnvFor(namespace), ...env });
  const overrides: AppOverrides = { watchTransfers: false, ...appOverrides };
  const identity = await startIdentityDouble(namespace);
  const apps: App[] = [];
  const startReplica = async () => {
    const app = createApp(config, overrides);
    apps.push(app);
    await app.start();
    return app;
  };
  const app = createApp(config, overrides);
  apps.push(app);
  const runtime = await app.start();
  const nc = await connectNats({ url: testInfra().natsUrl, name: `${namespace}-test` });
  const naming = createNaming(namespace);
  const rpc = createRpcClient(nc, naming, { timeoutMs: 15_000 });
  return {
    namespace,
    app,
    runtime,
    identity,
    rpc,
    nc,
    startReplica,
    async events() {
      const jsm = await jetstreamManager(nc);
      const stream = naming.stream('entitlements');
      const info = await jsm.streams.info(stream);
      const out: Envelope[] = [];
      for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
        const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
        if (msg) out.push(msg.json<Envelope>());
      }
      return out;
    },
    async close() {
      for (const a of apps.reverse()) await a.stop();
      await identity.stop();
      await nc.close();
      await dropNamespace(namespace);
    },
  };
}
