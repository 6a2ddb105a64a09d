import { AppError } from '@coterie/contracts';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Registered with `global: false`: only routes that set `config.rateLimit` are limited (the
 * auth routes do). The error goes through the problem+json handler as `rate_limited`, with the
 * IETF draft headers `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` and `retry-after`.
 *
 * Counters live in memory, per replica: N replicas allow up to N× a limit. That is acceptable for
 * these abuse brakes (identity enforces its own per-email and per-IP mail limits in PostgreSQL);
 * a shared store (Redis) would be the step up if exact global limits are ever needed.
 */
export const rateLimit = fp(
  async (fastify: FastifyInstance) => {
    await fastify.register(fastifyRateLimit, {
      global: false,
      enableDraftSpec: true,
      errorResponseBuilder: (_request, context) =>
        context.ban
          ? new AppError('forbidden', 403, 'too many requests; temporarily banned')
          : new AppError('rate_limited', 429, `rate limit exceeded, retry in ${context.after}`),
    });
  },
  { name: 'rate-limit' },
);
