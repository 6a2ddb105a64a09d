import type { RpcDefinition, RpcRequest, RpcResponse } from '@coterie/contracts';
import { AppError, rpcErrorBodySchema } from '@coterie/contracts';
import { coterieMetrics, injectTraceContext, SpanKind, withSpan } from '@coterie/telemetry';
import { errors, type NatsConnection, headers as natsHeaders } from '@nats-io/nats-core';
import type { Naming } from './naming.ts';

export const SERVICE_ERROR_CODE_HEADER = 'Nats-Service-Error-Code';

/** An RPC that failed: the callee's AppError (code, status) or a transport failure. */
export class RpcError extends AppError {}

export interface RpcCallOptions {
  timeoutMs?: number;
}

export interface RpcClientOptions extends RpcCallOptions {
  /**
   * Once the connection has been lost for this long, calls fail at once with 503 instead of
   * waiting out their timeout. Shorter outages (a cluster node failing over, a restart) are
   * ridden out: requests made meanwhile are sent when the connection is back.
   */
  failFastAfterMs?: number;
}

export interface RpcClient {
  call<T extends RpcDefinition>(
    def: T,
    request: RpcRequest<T>,
    options?: RpcCallOptions,
  ): Promise<RpcResponse<T>>;
}

export function createRpcClient(
  nc: NatsConnection,
  naming: Naming,
  defaults: RpcClientOptions = {},
): RpcClient {
  const connection = watchConnection(nc);
  const failFastAfterMs = defaults.failFastAfterMs ?? 2_000;
  return {
    async call(def, request, options = {}) {
      const subject = naming.subject(def.subject);
      const started = performance.now();
      let outcome = 'ok';
      try {
        const downForMs = connection.downForMs();
        if (downForMs > failFastAfterMs) {
          throw new RpcError(
            'service_unavailable',
            503,
            `${def.subject}: messaging has been unreachable for ${Math.round(downForMs / 1000)} s`,
          );
        }
        return await send(def, request, options, subject);
      } catch (error) {
        outcome = error instanceof AppError ? error.code : 'error';
        throw error;
      } finally {
        coterieMetrics().rpcClientDuration.record(performance.now() - started, {
          'rpc.system': 'nats',
          'rpc.method': def.subject,
          'rpc.outcome': outcome,
        });
      }
    },
  };

  async function send<T extends RpcDefinition>(
    def: T,
    request: RpcRequest<T>,
    options: RpcCallOptions,
    subject: string,
  ): Promise<RpcResponse<T>> {
    return withSpan(
      `${def.subject} send`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'nats',
          'rpc.method': def.subject,
          'messaging.destination.name': subject,
        },
      },
      async () => {
        const h = natsHeaders();
        injectTraceContext(h);
        let payload: string;
        try {
          payload = JSON.stringify(request);
        } catch {
          // e.g. a client's 10,000-level JSON inside an opaque field: V8's stringify overflows
          // where parse did not. The caller's input, not the service, is at fault.
          throw new RpcError('invalid_request', 400, 'request is too deeply nested');
        }
        let reply: Awaited<ReturnType<NatsConnection['request']>>;
        try {
          reply = await nc.request(subject, payload, {
            timeout: options.timeoutMs ?? defaults.timeoutMs ?? 5_000,
            headers: h,
          });
        } catch (error) {
          throw transportError(def.subject, error);
        }
        const status = reply.headers?.get(SERVICE_ERROR_CODE_HEADER);
        if (status) {
          const body = rpcErrorBodySchema.safeParse(safeJson(reply.data));
          if (body.success) {
            throw new RpcError(body.data.code, body.data.status, body.data.message, body.data.details);
          }
          throw new RpcError(
            'internal',
            Number(status) || 500,
            reply.headers?.get('Nats-Service-Error') || 'error',
          );
        }
        const parsed = def.response.safeParse(safeJson(reply.data));
        if (!parsed.success) {
          throw new RpcError(
            'bad_gateway',
            502,
            `${def.subject} answered outside its contract`,
            parsed.error.issues,
          );
        }
        return parsed.data as RpcResponse<typeof def>;
      },
    );
  }
}

/** How long the connection has been lost (0 while connected), from its status events. */
function watchConnection(nc: NatsConnection): { downForMs(): number } {
  let downSince: number | undefined;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') downSince ??= performance.now();
      else if (status.type === 'reconnect') downSince = undefined;
    }
  })().catch(() => {});
  return { downForMs: () => (downSince === undefined ? 0 : performance.now() - downSince) };
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

function transportError(subject: string, error: unknown): RpcError {
  if (error instanceof errors.NoRespondersError) {
    return new RpcError('service_unavailable', 503, `no service answers ${subject}`);
  }
  if (error instanceof errors.TimeoutError) {
    return new RpcError('service_timeout', 504, `${subject} did not answer in time`);
  }
  const cause = error as Error;
  if (cause?.cause instanceof errors.NoRespondersError) {
    return new RpcError('service_unavailable', 503, `no service answers ${subject}`);
  }
  return new RpcError('service_unavailable', 503, `${subject}: ${cause?.message ?? String(error)}`);
}
