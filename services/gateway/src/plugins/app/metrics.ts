import { coterieMetrics } from '@coterie/telemetry';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Webhook routes: an error status here is a delivery the sender will retry (or give up on).
const WEBHOOK_PREFIXES: readonly [prefix: string, provider: string][] = [['/v1/webhooks/stripe', 'stripe']];

/**
 * Request rate and latency for Prometheus: one `http.server.request.duration` observation per
 * response, by method, route template (never the raw path: ids would explode the series) and
 * status; and `coterie.webhook.failures` for webhook deliveries answered with an error. Uses
 * Fastify's own `reply.elapsedTime`, so it adds one hook and no timer per request.
 */
export const metrics = fp(
  async (fastify: FastifyInstance) => {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      const instruments = coterieMetrics();
      instruments.httpServerDuration.record(reply.elapsedTime / 1000, {
        'http.request.method': request.method,
        'http.route': route,
        'http.response.status_code': status,
      });
      if (status >= 400) {
        const webhook = WEBHOOK_PREFIXES.find(([prefix]) => route.startsWith(prefix));
        if (webhook) {
          instruments.webhookFailures.add(1, {
            'webhook.provider': webhook[1],
            'http.response.status_code': status,
          });
        }
      }
      done();
    });
  },
  { name: 'metrics' },
);
