import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id lands in our logs and headers: only short, plain tokens are taken as they are.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Fastify's `genReqId`: the caller's `x-request-id` when it is sane, a fresh uuid otherwise. */
export function genReqId(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Echoes the request id on every response, errors included, so a client can quote it. Set when
 * the request arrives: Fastify's error handler keeps the headers already set, and a header set
 * here costs no `onSend` step (a promise per response) on the hot reads.
 */
export const requestId = fp(
  async (fastify: FastifyInstance) => {
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  },
  { name: 'request-id' },
);
