import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const API_TAGS = [
  { name: 'operations', description: 'Health, readiness and public settings' },
  { name: 'identity', description: 'Sign-in (SIWE, email), sessions, profile and linked accounts' },
  { name: 'communities', description: 'Communities, roles, tiers and gates, memberships' },
  { name: 'tips', description: 'Fiat and crypto tips, the feed, the leaderboard and admin rewards' },
  { name: 'events', description: 'Events, RSVPs with waitlists, check-in and calendar feeds' },
  { name: 'governance', description: 'Proposals and signed, token-weighted votes' },
  { name: 'analytics', description: "The creator's dashboard, NPS answers and acquisition spend" },
  { name: 'webhooks', description: 'Signed inbound webhooks (Stripe)' },
];

export interface SwaggerOptions {
  version: string;
}

/**
 * OpenAPI 3.1 from the routes' TypeBox schemas (registered before any route, since it
 * collects them as they are added); the UI at `/docs`, the document at `/docs/json`.
 */
export const swagger = fp(
  async (fastify: FastifyInstance, options: SwaggerOptions) => {
    await fastify.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Coterie API',
          version: '1',
          description: `Coterie HTTP API v1 (gateway ${options.version}). Errors are application/problem+json.`,
        },
        tags: API_TAGS,
        components: {
          securitySchemes: {
            sessionCookie: {
              type: 'apiKey',
              in: 'cookie',
              name: 'coterie_session',
              description:
                'Set by a sign-in. State-changing requests with it also need `Origin` = the app origin or `X-Coterie-CSRF: 1`.',
            },
          },
        },
      },
      // `Problem` and other shared schemas appear under components by their `$id`.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
