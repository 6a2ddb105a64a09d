import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmetMiddleware, { type HelmetOptions as HelmetMiddlewareOptions } from 'helmet';
import { JSON_API_PATH } from '../../api-paths.ts';

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

/**
 * Headers for JSON API responses (OWASP REST Security Cheat Sheet): nothing may load or frame
 * such a response, browsers must not sniff it into HTML, other sites may not embed it, and
 * HTTPS is remembered. The document policies (CSP sources, COOP, DNS prefetching, …) only mean
 * something for pages; sent on every API response they were two thirds of its bytes.
 */
export function apiSecurityHeaders(documentHeaders: Record<string, string>): Record<string, string> {
  const kept = [
    'strict-transport-security',
    'x-content-type-options',
    'cross-origin-resource-policy',
    'referrer-policy',
  ];
  const headers: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  };
  for (const name of kept) {
    const value = documentHeaders[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** Security headers on every response: the page set for the web app and /docs, the API set for the rest. */
export const helmet = fp(
  async (fastify: FastifyInstance, options: HelmetOptions) => {
    const documentHeaders = securityHeaders({
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
    const apiHeaders = apiSecurityHeaders(documentHeaders);
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.headers(JSON_API_PATH.test(request.url) ? apiHeaders : documentHeaders);
      done();
    });
  },
  { name: 'helmet' },
);
