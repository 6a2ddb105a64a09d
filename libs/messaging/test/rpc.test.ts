import { AppError, defineRpc } from '@coterie/contracts';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createRpcClient,
  RpcError,
  rpcEndpoint,
  SERVICE_ERROR_CODE_HEADER,
  startRpcService,
} from '../src/index.ts';
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

  /**
   * A replica that took a request and died never answers it. Stands in for one: takes every
   * request on the subject, drops the first `lost` of them and answers the rest with `answer`.
   */
  function loseFirstRequests(
    fx: MessagingFixture,
    lost: number,
    answer: (headers: ReturnType<typeof natsHeaders>) => unknown,
  ) {
    let seen = 0;
    const sub = fx.nc.subscribe(fx.naming.subject(addRpc.subject), {
      callback: (_error, msg) => {
        seen += 1;
        if (seen <= lost) return;
        const h = natsHeaders();
        msg.respond(JSON.stringify(answer(h)), { headers: h });
      },
    });
    return { requests: () => seen, stop: () => sub.unsubscribe() };
  }

  it('asks an idempotent call again after a timeout, so a request lost with a dead replica gets its answer', async () => {
    f = await messagingFixture();
    const responder = loseFirstRequests(f, 1, () => ({ sum: 5 }));
    const rpc = createRpcClient(f.nc, f.naming);
    await expect(rpc.call(addRpc, { a: 2, b: 3 }, { timeoutMs: 300, attempts: 2 })).resolves.toEqual({
      sum: 5,
    });
    expect(responder.requests()).toBe(2);
    responder.stop();
  });

  it('asks only once by default, and never again after an answer, even an error', async () => {
    f = await messagingFixture();
    const lost = loseFirstRequests(f, 1, () => ({ sum: 5 }));
    const rpc = createRpcClient(f.nc, f.naming);
    await expect(rpc.call(addRpc, { a: 2, b: 3 }, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'service_timeout',
      status: 504,
    });
    expect(lost.requests()).toBe(1);
    lost.stop();

    const refusing = loseFirstRequests(f, 0, (h) => {
      h.set(SERVICE_ERROR_CODE_HEADER, '422');
      return { code: 'negative_not_allowed', status: 422, message: 'a must not be negative' };
    });
    await expect(rpc.call(addRpc, { a: -1, b: 3 }, { timeoutMs: 300, attempts: 3 })).rejects.toMatchObject({
      code: 'negative_not_allowed',
    });
    expect(refusing.requests()).toBe(1);
    refusing.stop();
  });
});
