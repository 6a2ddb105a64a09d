import { AppError, defineRpc } from '@coterie/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRpcClient, RpcError, rpcEndpoint, startRpcService } from '../src/index.ts';
import { type MessagingFixture, messagingFixture } from './fixture.ts';

const addRpc = defineRpc({
  subject: 'identity.rpc.add',
  request: z.object({ a: z.number().int(), b: z.number().int() }).strict(),
  response: z.object({ sum: z.number().int() }),
});

describe('rpc', () => {
  let f: MessagingFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  async function serve(fx: MessagingFixture) {
    return startRpcService({
      nc: fx.nc,
      naming: fx.naming,
      logger: fx.logger,
      name: 'identity',
      discoveryName: fx.naming.serviceName('identity'),
      version: '0.0.1',
      endpoints: [
        rpcEndpoint(addRpc, async ({ a, b }) => {
          if (a < 0) throw new AppError('negative_not_allowed', 422, 'a must not be negative');
          // What node-postgres throws while PostgreSQL shuts down, and a plain bug.
          if (a === 57)
            throw Object.assign(new Error('the database system is shutting down'), { code: '57P03' });
          if (a === 58) throw new Error('Connection terminated unexpectedly');
          if (a === 99) throw new Error('a bug');
          return { sum: a + b };
        }),
      ],
    });
  }

  it('answers a typed request', async () => {
    f = await messagingFixture();
    const service = await serve(f);
    const rpc = createRpcClient(f.nc, f.naming);
    await expect(rpc.call(addRpc, { a: 2, b: 3 })).resolves.toEqual({ sum: 5 });
    await service.stop();
  });

  it('answers a schema-invalid request with a 400-coded error at once, not a timeout', async () => {
    f = await messagingFixture();
    const service = await serve(f);
    const rpc = createRpcClient(f.nc, f.naming);
    const started = Date.now();
    const error = await rpc.call(addRpc, { a: 'two', b: 3 } as never, { timeoutMs: 5_000 }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    await service.stop();
  });

  it('carries a domain error code and status across', async () => {
    f = await messagingFixture();
    const service = await serve(f);
    const rpc = createRpcClient(f.nc, f.naming);
    await expect(rpc.call(addRpc, { a: -1, b: 3 })).rejects.toMatchObject({
      code: 'negative_not_allowed',
      status: 422,
      message: 'a must not be negative',
    });
    await service.stop();
  });

  it('reports a missing service as service_unavailable', async () => {
    f = await messagingFixture();
    const rpc = createRpcClient(f.nc, f.naming);
    await expect(rpc.call(addRpc, { a: 1, b: 1 })).rejects.toMatchObject({
      code: 'service_unavailable',
      status: 503,
    });
  });

  it('answers 503 service_unavailable while the database is unreachable, 500 for any other failure', async () => {
    f = await messagingFixture();
    const service = await serve(f);
    const rpc = createRpcClient(f.nc, f.naming);
    for (const a of [57, 58]) {
      await expect(rpc.call(addRpc, { a, b: 0 })).rejects.toMatchObject({
        code: 'service_unavailable',
        status: 503,
      });
    }
    await expect(rpc.call(addRpc, { a: 99, b: 0 })).rejects.toMatchObject({ code: 'internal', status: 500 });
    await service.stop();
  });
});
