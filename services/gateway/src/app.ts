import { randomUUID } from 'node:crypto';
import { type Context, healthRpc, identityRpc } from '@coterie/contracts';
import { createLogger, type Logger } from '@coterie/logger';
import { coalescePublishes, connectNats, createNaming, createRpcClient } from '@coterie/messaging';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { jetstream } from '@nats-io/jetstream';
import Fastify, { LogController } from 'fastify';
import { followEvents } from './adapters/event-feed.ts';
import { createPostgresProbe } from './adapters/postgres-probe.ts';
import { watchSessionRevocations } from './adapters/session-revocations.ts';
import { checkReadiness, type Readiness } from './application/check-readiness.ts';
import { createCommunityDirectory } from './application/community-directory.ts';
import { createMembershipCache } from './application/membership-cache.ts';
import { createSessionCache } from './application/session-cache.ts';
import { buildValidator } from './body-validation.ts';
import type { Config } from './config.ts';
import { accessLog } from './plugins/app/access-log.ts';
import { csrf } from './plugins/app/csrf.ts';
import { metrics } from './plugins/app/metrics.ts';
import { problemDetails, sendProblem, toProblem } from './plugins/app/problem-details.ts';
import { genReqId, REQUEST_ID_HEADER, requestId } from './plugins/app/request-id.ts';
import { session } from './plugins/app/session.ts';
import { tracing } from './plugins/app/tracing.ts';
import { cookie } from './plugins/external/cookie.ts';
import { helmet } from './plugins/external/helmet.ts';
import { rateLimit } from './plugins/external/rate-limit.ts';
import { swagger } from './plugins/external/swagger.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { authEmailRoutes } from './routes/auth-email.ts';
import { authSessionsRoutes } from './routes/auth-sessions.ts';
import { authSiweRoutes } from './routes/auth-siwe.ts';
import { communityRoutes } from './routes/communities.ts';
import { eventRoutes } from './routes/events.ts';
import { meRoutes } from './routes/me.ts';
import { operationsRoutes } from './routes/operations.ts';
import { proposalRoutes } from './routes/proposals.ts';
import { publicConfigRoutes } from './routes/public-config.ts';
import { stripeWebhookRoutes } from './routes/stripe-webhooks.ts';
import { tipRoutes } from './routes/tips.ts';
import { webAppRoutes } from './routes/web-app.ts';

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
// Its query string is a sign-in credential: the route logs its own line without it.
const MAGIC_LINK_PATH = '/v1/auth/email/callback';

/**
 * Orchestrators probe these every few seconds; their lines would drown the rest. Magic links
 * and private calendar feeds carry credentials in the query string.
 */
function unloggedRequest(request: { url: string }): boolean {
  return (
    PROBE_PATHS.has(request.url) ||
    request.url.startsWith(MAGIC_LINK_PATH) ||
    request.url.startsWith('/v1/me/calendar.ics')
  );
}

function createFastify(logger: Logger) {
  return Fastify({
    loggerInstance: logger,
    genReqId,
    // Our genReqId reads (and checks) `x-request-id`; Fastify must not take it unchecked.
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // One line per request instead, from the access-log plugin.
      disableRequestLogging: true,
    }),
    // A client that trickles its request must not hold a connection forever.
    requestTimeout: 30_000,
    schemaController: { compilersFactory: { buildValidator } },
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
  fastify.register(accessLog, { skip: unloggedRequest });
  fastify.register(metrics);
  fastify.register(requestId);
  fastify.register(problemDetails);
  fastify.register(helmet, {
    https: config.APP_ORIGIN.startsWith('https:'),
    stripe: Boolean(config.STRIPE_PUBLISHABLE_KEY),
  });
  fastify.register(cookie);
  fastify.register(csrf, { appOrigin: config.APP_ORIGIN });
  fastify.register(rateLimit);
  fastify.register(swagger, { version: SERVICE_VERSION });
  // The web app at / (static files + SPA fallback); needs no NATS, so it serves even while services start.
  fastify.register(webAppRoutes, {});

  fastify.register(async (instance) => {
    const nc = await connectNats({ url: config.NATS_URL, name: `gateway-${randomUUID().slice(0, 8)}` });
    const postgres = createPostgresProbe(config.DATABASE_URL, config.READYZ_TIMEOUT_MS);
    instance.addHook('onClose', async () => {
      await nc.drain().catch((error) => logger.warn({ err: error }, 'error draining NATS'));
      await postgres.close();
    });
    const naming = createNaming(config.COTERIE_NAMESPACE);
    const rpc = createRpcClient(nc, naming);

    // Sessions: resolved through a ≤ 5 s cache that revocation events empty on every replica.
    const sessionCache = createSessionCache({
      ttlMs: config.SESSION_CACHE_TTL_MS,
      maxEntries: config.SESSION_CACHE_MAX_ENTRIES,
    });
    const revocations = watchSessionRevocations({
      nc,
      naming,
      logger,
      onRevoked: (revocation) => sessionCache.revoke(revocation),
      onLiveChange: (live) => sessionCache.setEnabled(live),
    });
    instance.addHook('preClose', () => revocations.stop());
    // Memberships: the gated read's other half, kept current by entitlements' events.
    const memberships = createMembershipCache({
      ttlMs: config.MEMBERSHIP_CACHE_TTL_MS,
      maxEntries: config.MEMBERSHIP_CACHE_MAX_ENTRIES,
    });
    const entitlementsFeed = followEvents({
      nc,
      naming,
      logger,
      name: 'gateway-memberships',
      context: 'entitlements',
      filterSubject: 'entitlements.>',
      onEvent: (subject, payload) => memberships.onEvent(subject, payload),
      onLiveChange: (live) => memberships.setEnabled(live),
    });
    instance.addHook('preClose', () => entitlementsFeed.stop());
    await instance.register(session, {
      resolve: async (token) => (await rpc.call(identityRpc.resolveSession, { token })).session,
      cache: sessionCache,
      secure: config.APP_ORIGIN.startsWith('https:'),
    });

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
    const webhookSecrets = [config.STRIPE_WEBHOOK_SECRET, config.STRIPE_WEBHOOK_SECRET_PREVIOUS].filter(
      (s): s is string => Boolean(s),
    );
    // Webhooks arrive in bursts (Stripe retries, catch-up after an outage): their publishes share writes.
    const webhookPublisher = coalescePublishes(jetstream(nc));
    await instance.register(stripeWebhookRoutes, {
      deps: webhookSecrets.length > 0 ? { secrets: webhookSecrets, js: webhookPublisher, naming } : undefined,
    });

    const ratePerMinute = config.AUTH_RATE_LIMIT_PER_MINUTE;
    const emailStartPerMinute = config.AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE;
    await instance.register(authSiweRoutes, { rpc, ratePerMinute });
    await instance.register(authEmailRoutes, {
      rpc,
      appOrigin: config.APP_ORIGIN,
      startPerMinute: emailStartPerMinute,
      ratePerMinute,
    });
    await instance.register(authSessionsRoutes, { rpc, cache: sessionCache, ratePerMinute });
    await instance.register(meRoutes, { rpc, cache: sessionCache, emailStartPerMinute, ratePerMinute });

    const communities = createCommunityDirectory(rpc);
    await instance.register(communityRoutes, { rpc, memberships, appOrigin: config.APP_ORIGIN });
    await instance.register(proposalRoutes, { rpc, communities });
    await instance.register(tipRoutes, { rpc, communities });
    await instance.register(eventRoutes, { rpc, communities });
    await instance.register(analyticsRoutes, { rpc, communities });
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
