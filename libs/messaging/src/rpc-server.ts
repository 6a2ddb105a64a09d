import type { RpcDefinition, RpcResponse } from '@coterie/contracts';
import { AppError, type RpcErrorBody } from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import { coterieMetrics, extractTraceContext, SpanKind, withSpan } from '@coterie/telemetry';
import type { NatsConnection } from '@nats-io/nats-core';
import { type Service, type ServiceMsg, Svcm } from '@nats-io/services';
import type { z } from 'zod';
import type { Naming } from './naming.ts';
import { hasUnstorableText } from './unstorable-text.ts';

export interface RpcHandlerContext {
  /** Trace-carried correlation, if the caller set one. */
  correlationId: string | undefined;
}

export interface RpcEndpoint {
  readonly def: RpcDefinition;
  handle(request: unknown, ctx: RpcHandlerContext): Promise<unknown>;
}

/** Pairs a definition with its handler; the handler's types come from the contract's schemas. */
export function rpcEndpoint<T extends RpcDefinition>(
  def: T,
  handle: (request: z.infer<T['request']>, ctx: RpcHandlerContext) => Promise<RpcResponse<T>>,
): RpcEndpoint {
  return { def, handle: handle as RpcEndpoint['handle'] };
}

export interface StartRpcServiceOptions {
  nc: NatsConnection;
  naming: Naming;
  logger: Logger;
  /** Logical service name, e.g. `identity`; discovery sees `naming.serviceName(context)`. */
  name: string;
  discoveryName: string;
  version: string;
  description?: string;
  endpoints: readonly RpcEndpoint[];
}

export const CORRELATION_HEADER = 'Coterie-Correlation-Id';

/**
 * Registers the endpoints as one `@nats-io/services` micro-service (discovery, stats and
 * ping come with it), in a queue group so replicas share the load. Requests are validated
 * with the contract: a bad one gets a 400-coded error at once, never a timeout.
 */
export async function startRpcService(options: StartRpcServiceOptions): Promise<Service> {
  const service = await new Svcm(options.nc).add({
    name: options.discoveryName,
    version: options.version,
    description: options.description ?? options.name,
    queue: 'coterie',
  });
  for (const endpoint of options.endpoints) {
    const subject = options.naming.subject(endpoint.def.subject);
    const endpointName = endpoint.def.subject.split('.').pop() ?? endpoint.def.subject;
    service.addEndpoint(endpointName, {
      subject,
      handler: (error, msg) => {
        if (error) {
          options.logger.error({ err: error, subject }, 'rpc endpoint subscription failed');
          return;
        }
        void handleRequest(options, endpoint, msg, subject);
      },
    });
  }
  // When this resolves the subscriptions have reached the server: a caller on another
  // connection finds the endpoints at once instead of getting "no responders".
  await options.nc.flush();
  return service;
}

async function handleRequest(
  options: StartRpcServiceOptions,
  endpoint: RpcEndpoint,
  msg: ServiceMsg,
  subject: string,
): Promise<void> {
  const started = performance.now();
  let outcome = 'ok';
  const fail = (error: AppError) => {
    outcome = error.code;
    respondError(msg, error);
  };
  await withSpan(
    `${endpoint.def.subject} process`,
    {
      kind: SpanKind.SERVER,
      parent: extractTraceContext(msg.headers),
      attributes: {
        'rpc.system': 'nats',
        'rpc.method': endpoint.def.subject,
        'messaging.destination.name': subject,
      },
    },
    async (span) => {
      let input: unknown;
      try {
        input = msg.data.length === 0 ? {} : msg.json();
      } catch {
        return fail(new AppError('invalid_request', 400, 'request body is not JSON'));
      }
      if (hasUnstorableText(input)) {
        // PostgreSQL text cannot hold U+0000 and jsonb refuses lone surrogates: refused here
        // rather than as a 500 from the store.
        return fail(new AppError('invalid_request', 400, 'request contains NUL or a lone surrogate'));
      }
      const parsed = endpoint.def.request.safeParse(input);
      if (!parsed.success) {
        return fail(
          new AppError('invalid_request', 400, 'request does not match its schema', parsed.error.issues),
        );
      }
      try {
        const result = await endpoint.handle(parsed.data, {
          correlationId: msg.headers?.get(CORRELATION_HEADER) || undefined,
        });
        msg.respond(JSON.stringify(result ?? null));
      } catch (error) {
        if (error instanceof AppError) {
          span.setAttribute('rpc.error_code', error.code);
          return fail(error);
        }
        if (isStoreUnavailable(error)) {
          // PostgreSQL is restarting or unreachable: a retry will do, so 503 rather than a 500.
          options.logger.warn({ err: error, subject }, 'rpc handler found the database unavailable');
          return fail(new AppError('service_unavailable', 503, 'the database is unavailable; try again'));
        }
        options.logger.error({ err: error, subject }, 'rpc handler failed');
        return fail(new AppError('internal', 500, 'internal error'));
      }
    },
  ).catch((error) => options.logger.error({ err: error, subject }, 'rpc reply failed'));
  coterieMetrics().rpcServerDuration.record(performance.now() - started, {
    'rpc.system': 'nats',
    'rpc.method': endpoint.def.subject,
    'rpc.outcome': outcome,
  });
}

/** Messages of node-postgres (and pg-pool) when the connection is refused, cut or never made. */
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether `error` (anywhere in its `cause` chain) says PostgreSQL could not be reached or went
 * away: SQLSTATE class 08 (connection exception), 57P01–57P03 (shutting down, starting up), a
 * refused or reset socket, or a connection node-postgres lost. Not a bug of the request: the same
 * call succeeds once the database is back.
 */
function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^(08[0-9A-Z]{3}|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE)$/.test(code))
      return true;
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function respondError(msg: ServiceMsg, error: AppError): void {
  const body: RpcErrorBody = error.toBody();
  msg.respondError(error.status, error.message, JSON.stringify(body));
}
