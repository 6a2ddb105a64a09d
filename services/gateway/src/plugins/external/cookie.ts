import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Cookie parsing and `reply.setCookie` for the `coterie_session` cookie (API.md). */
export const cookie = fp(
  async (fastify: FastifyInstance) => {
    await fastify.register(fastifyCookie);
  },
  { name: 'cookie' },
);
