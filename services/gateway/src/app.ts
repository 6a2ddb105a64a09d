import { randomUUID } from 'node:crypto';
import { type Context, healthRpc } from '@coterie/contracts';
import { createLogger, type Logger } from '@coterie/logger';
import { connectNats, createNaming, createRpcClient } from '@coterie/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import { createPostgresProbe } from './adapters/postgres-probe.ts';
import { checkReadiness, type Readiness } from './application/check-readiness.ts';
import type { Config } from './config.ts';
import { problemDetails, sendProblem, toProblem } from './plugins/app/problem-details.ts';
import { genReqId, REQUEST_ID_HEADER, requestId } from './plugins/app/request-id.ts';
import { tracing } from './plugins/app/tracing.ts';
import { cookie } from './plugins/external/cookie.ts';
import { helmet } from './plugins/external/helmet.ts';
import { rateLimit } from './plugins/external/rate-limit.ts';
import { swagger } from './plugins/external/swagger.ts';
import { operationsRoutes } from './routes/operations.ts';
import { publicConfigRoutes } from './routes/public-config.ts';

export const SERVICE_VERSION = '0.1.0';

export interface AppOverrides {
  logger?: Logger;
}

export type GatewayFastify = ReturnType<typeof createFastify>;

export interface App {
  /** For `inject()` in tests, and for registering test-only routes before the first request. */
  readonly fastify: GatewayFastify;
  /** Listens on HOST:PORT; resolves with the URL it listens at. */
  start(): Promise<{ url: string }>;
  /** Stops accepting, finishes in-flight requests, then closes NATS and the pool. */
  stop(): Promise<void>;
}

const PROBE_PATHS = new Set(['/healthz', '/readyz']);

function createFastify(logger: Logger) {
  return Fastify({
    loggerInstance: logger,
    genReqId,
    // Our genReqId reads (and checks) `x-request-id`; Fastify must not take it unchecked.
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Orchestrators probe these every few seconds; their lines would drown the rest.
      disableRequestLogging: (request) => PROBE_PATHS.has(request.url),
    }),
    // A client that trickles its request must not hold a connection forever.
    requestTimeout: 30_000,
    // Errors raised before routing (a malformed URL) skip the error handler and every hook.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendProblem(reply, toProblem(error));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** Composition root of the gateway: everything it is made of is wired here. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  const logger = overrides.logger ?? createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const fastify = createFastify(logger);

  // Order matters: tracing first so even rejected requests get a span; swagger before routes.
  fastify.register(tracing);
  fastify.register(requestId);
  fastify.register(problemDetails);
  fastify.register(helmet, { https: config.APP_ORIGIN.startsWith('https:') });
  fastify.register(cookie);
  fastify.register(rateLimit);
  fastify.register(swagger, { version: SERVICE_VERSION });

  fastify.register(async (instance) => {
    const nc = await connectNats({ url: config.NATS_URL, name: `gateway-${randomUUID().slice(0, 8)}` });
    const postgres = createPostgresProbe(config.DATABASE_URL, config.READYZ_TIMEOUT_MS);
    instance.addHook('onClose', async () => {
      await nc.drain().catch((error) => logger.warn({ err: error }, 'error draining NATS'));
      await postgres.close();
    });
    const rpc = createRpcClient(nc, createNaming(config.COTERIE_NAMESPACE));
    const probes = {
      nats: async () => {
        if (nc.isClosed()) throw new Error('NATS connection is closed');
        // A round trip to the server: a reconnecting client does not answer until it is back.
        await nc.flush();
      },
      postgres: () => postgres.ping(),
      serviceHealth: (context: Context) =>
        rpc.call(healthRpc(context), {}, { timeoutMs: config.READYZ_TIMEOUT_MS }),
    };
    // /readyz is public and each check costs six RPCs and a query: concurrent probes share one.
    let inFlight: Promise<Readiness> | undefined;
    await instance.register(operationsRoutes, {
      checkReadiness: () => {
        inFlight ??= checkReadiness(probes, { timeoutMs: config.READYZ_TIMEOUT_MS }).finally(() => {
          inFlight = undefined;
        });
        return inFlight;
      },
    });
    await instance.register(publicConfigRoutes, { config });
  });

  return {
    fastify,
    async start() {
      const url = await fastify.listen({ host: config.HOST, port: config.PORT });
      return { url };
    },
    async stop() {
      await fastify.close();
    },
  };
}
