import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface AccessLogOptions {
  /** Requests not to log: probes, and URLs that carry a credential in their query string. */
  skip(request: FastifyRequest): boolean;
}

/**
 * One line per request, written when the response is done: method, URL, status and time.
 * Fastify's own request logging writes two (received, completed), which doubled the logging
 * cost of the hot reads for a line that adds nothing a trace or the metrics do not have.
 */
export const accessLog = fp(
  async (fastify: FastifyInstance, options: AccessLogOptions) => {
    fastify.addHook('onResponse', (request, reply, done) => {
      if (!options.skip(request)) {
        // Flat primitives: nested `req`/`res` objects would go through Fastify's serializers
        // and JSON.stringify on every request.
        request.log.info(
          {
            method: request.method,
            url: request.url,
            statusCode: reply.statusCode,
            responseTime: reply.elapsedTime,
          },
          'request completed',
        );
      }
      done();
    });
  },
  { name: 'access-log' },
);
