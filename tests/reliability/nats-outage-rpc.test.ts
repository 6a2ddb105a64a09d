import { healthRpc } from '@coterie/contracts';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type NatsConnection,
  RpcError,
  rpcEndpoint,
  startRpcService,
} from '@coterie/messaging';
import { uniqueNamespace } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayNats, type ThrowawayNats } from '../support/process-platform.ts';
import { recordReliability } from '../support/reliability-summary.ts';

const echoRpc = healthRpc('identity');
const healthy = () => ({
  service: 'identity',
  version: '0.0.1',
  instanceId: 'outage-test',
  status: 'ok' as const,
  checks: {},
});

/**
 * A NATS server of this file's own goes away for longer than the RPC client's fail-fast delay:
 * a fresh loss (a failover, a restart) is waited out as before, a long one makes calls answer
 * 503 at once instead of holding the caller for the whole RPC timeout.
 */
let nats: ThrowawayNats;
let serverSide: NatsConnection;
let clientSide: NatsConnection;

beforeAll(async () => {
  nats = await startThrowawayNats();
  [serverSide, clientSide] = await Promise.all([
    connectNats({ url: nats.url, name: 'outage-service' }),
    connectNats({ url: nats.url, name: 'outage-client' }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([serverSide?.close(), clientSide?.close()]);
  await nats?.dispose();
});

async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const result = await call();
    return { ms: performance.now() - t0, result };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

describe('RPCs while NATS is unreachable', () => {
  it('wait during a fresh loss, then fail fast with 503 instead of waiting for the timeout', async () => {
    const naming = createNaming(uniqueNamespace('outage'));
    const service = await startRpcService({
      nc: serverSide,
      naming,
      logger: createLogger({ name: 'outage-test', level: 'silent' }),
      name: 'identity',
      discoveryName: naming.serviceName('identity'),
      version: '0.0.1',
      endpoints: [rpcEndpoint(echoRpc, async () => healthy())],
    });
    const rpc = createRpcClient(clientSide, naming, { timeoutMs: 5_000, failFastAfterMs: 1_000 });
    expect((await rpc.call(echoRpc, {})).status).toBe('ok');

    await nats.kill();
    // A fresh loss may be a failover or a restart: the call waits (here up to its 800 ms timeout).
    const early = await timed(() => rpc.call(echoRpc, {}, { timeoutMs: 800 }));
    expect(early.error).toBeInstanceOf(RpcError);
    expect(early.ms).toBeGreaterThan(700);

    await new Promise((r) => setTimeout(r, 700));
    const fast = await timed(() => rpc.call(echoRpc, {}));
    expect(fast.error).toBeInstanceOf(RpcError);
    expect((fast.error as RpcError).status).toBe(503);
    expect((fast.error as RpcError).code).toBe('service_unavailable');
    expect(fast.ms).toBeLessThan(500);

    await nats.start();
    const back = await timed(async () => {
      for (;;) {
        try {
          return await rpc.call(echoRpc, {});
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    expect(back.result?.status).toBe('ok');
    await service.stop();
    recordReliability({
      category: 'fault',
      check: 'NATS unreachable for 1.5 s: calls answered 503 at once, then served again after restart',
      tried: 2,
      passed: 2,
      lost: 0,
    });
  }, 60_000);
});
