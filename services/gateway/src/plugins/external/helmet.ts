import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface HelmetOptions {
  /** The app origin is https: only then may the CSP tell browsers to upgrade requests. */
  https: boolean;
}

/** Security headers on every response; the Swagger UI at /docs loads only same-origin scripts. */
export const helmet = fp(
  async (fastify: FastifyInstance, options: HelmetOptions) => {
    await fastify.register(fastifyHelmet, {
      contentSecurityPolicy: {
        useDefaults: true,
        // On plain-http dev hosts the upgrade would send the browser to an https port nobody serves.
        directives: options.https ? {} : { upgradeInsecureRequests: null },
      },
    });
  },
  { name: 'helmet' },
);
