import { AppError } from '@coterie/contracts';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Registered with `global: false`: only routes that set `config.rateLimit` are limited (the
 * auth routes will). The error goes through the problem+json handler as `rate_limited`.
 */
export const rateLimit = fp(
  async (fastify: FastifyInstance) => {
    await fastify.register(fastifyRateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        context.ban
          ? new AppError('forbidden', 403, 'too many requests; temporarily banned')
          : new AppError('rate_limited', 429, `rate limit exceeded, retry in ${context.after}`),
    });
  },
  { name: 'rate-limit' },
);
