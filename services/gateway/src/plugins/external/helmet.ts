import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmetMiddleware, { type HelmetOptions as HelmetMiddlewareOptions } from 'helmet';

export interface HelmetOptions {
  /** The app origin is https: only then may the CSP tell browsers to upgrade requests. */
  https: boolean;
  /** Stripe is configured: card tips load Stripe Elements (a script and iframes from Stripe). */
  stripe?: boolean;
}

/**
 * The headers helmet sets, worked out once: they depend only on the options. Running helmet's
 * middleware on every request (what @fastify/helmet does) cost more than the rest of a cached
 * gated read together; measured in `pnpm bench`.
 */
export function securityHeaders(options: HelmetMiddlewareOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmetMiddleware(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure) throw failure;
  return headers;
}

/** Security headers on every response; the Swagger UI at /docs loads only same-origin scripts. */
export const helmet = fp(
  async (fastify: FastifyInstance, options: HelmetOptions) => {
    const headers = securityHeaders({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          ...(options.stripe
            ? {
                scriptSrc: ["'self'", 'https://js.stripe.com'],
                frameSrc: ["'self'", 'https://js.stripe.com', 'https://hooks.stripe.com'],
                connectSrc: ["'self'", 'https://api.stripe.com'],
              }
            : {}),
          // On plain-http dev hosts the upgrade would send the browser to an https port nobody serves.
          ...(options.https ? {} : { upgradeInsecureRequests: null }),
        },
      },
    });
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'helmet' },
);
