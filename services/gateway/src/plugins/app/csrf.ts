import { AppError } from '@coterie/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './session.ts';

export const CSRF_HEADER = 'x-coterie-csrf';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Signed by their sender and never authenticated by the cookie.
const EXEMPT_PREFIXES = ['/v1/webhooks/'];

export interface CsrfOptions {
  /** `APP_ORIGIN` as an origin (scheme, host, port; no path). */
  appOrigin: string;
}

/** True when a request may change state on behalf of the cookie it carries (API.md conventions). */
export function passesCsrfCheck(request: FastifyRequest, appOrigin: string): boolean {
  if (!STATE_CHANGING.has(request.method)) return true;
  if (request.cookies[SESSION_COOKIE] === undefined) return true;
  const path = request.url.split('?')[0] ?? request.url;
  if (EXEMPT_PREFIXES.some((prefix) => path.startsWith(prefix))) return true;
  // A browser sets `Origin` on every cross-site POST and no page can forge it; a custom header
  // cannot be sent cross-origin without a CORS preflight, which the gateway never grants.
  if (request.headers.origin === appOrigin) return true;
  return request.headers[CSRF_HEADER] === '1';
}

/**
 * CSRF defence for cookie sessions: a state-changing request that carries `coterie_session` must
 * come from the app's origin (`Origin`) or say `X-Coterie-CSRF: 1`; otherwise 403 `csrf_failed`.
 * Requests without the cookie (API clients, sign-in) are not affected. Runs at `onRequest`, before
 * the body is read or the session resolved.
 */
export const csrf = fp(
  async (fastify: FastifyInstance, options: CsrfOptions) => {
    // Callback-style: the reads (nearly every request) pass without making a promise.
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (passesCsrfCheck(request, options.appOrigin)) return done();
      done(
        new AppError(
          'csrf_failed',
          403,
          `A state-changing request with a session cookie needs Origin ${options.appOrigin} or the header X-Coterie-CSRF: 1.`,
        ),
      );
    });
  },
  { name: 'csrf', dependencies: ['cookie'] },
);
