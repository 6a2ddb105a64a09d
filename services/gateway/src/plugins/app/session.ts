import { AppError } from '@coterie/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ResolvedSession, type SessionCache, sessionCacheKey } from '../../application/session-cache.ts';

export const SESSION_COOKIE = 'coterie_session';

/** Who is signed in, on every request: `null` when anonymous (no cookie, or a dead session). */
export interface RequestSession {
  id: string;
  memberId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession | null;
  }
  interface FastifyReply {
    /** Sets `coterie_session` until the session's absolute expiry. */
    setSessionCookie(session: { token: string; expiresAt: string }): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

export interface SessionPluginOptions {
  /** identity's `resolveSession` (the cache sits in front of it). */
  resolve(token: string): Promise<ResolvedSession | null>;
  cache: SessionCache;
  /** The app origin is https: the cookie gets `Secure`. */
  secure: boolean;
}

// Identity issues 43-character base64url tokens; anything else cannot be a session and costs no RPC.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,256}$/;

// Why a session could not be resolved (identity down): `requireMember` answers with it, while
// public routes carry on anonymously. Kept beside the request, like the tracing spans.
const resolveFailures = new WeakMap<FastifyRequest, unknown>();

/** The raw session token of the request, if its cookie has one. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE];
  return token === undefined || token === '' ? undefined : token;
}

/**
 * Resolves `coterie_session` to `request.session` through a short-lived cache (≤ 5 s, emptied
 * at once by revocation events, see `watchSessionRevocations`), and gives replies the cookie
 * setters. Needs `@fastify/cookie` registered before it.
 */
export const session = fp(
  async (fastify: FastifyInstance, options: SessionPluginOptions) => {
    const { cache } = options;
    const cookieOptions = {
      httpOnly: true,
      sameSite: 'lax' as const,
      path: '/',
      secure: options.secure,
    };

    fastify.decorateRequest('session', null);
    fastify.decorateReply(
      'setSessionCookie',
      function setSessionCookie(this: FastifyReply, issued: { token: string; expiresAt: string }) {
        const maxAge = Math.max(0, Math.floor((Date.parse(issued.expiresAt) - Date.now()) / 1000));
        return this.setCookie(SESSION_COOKIE, issued.token, { ...cookieOptions, maxAge });
      },
    );
    fastify.decorateReply('clearSessionCookie', function clearSessionCookie(this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, cookieOptions);
    });

    const attach = (request: FastifyRequest, resolved: ResolvedSession | null) => {
      request.session = resolved ? { id: resolved.id, memberId: resolved.memberId } : null;
    };

    // Callback-style, and synchronous when the session is cached: the hot path makes no promise.
    fastify.addHook('onRequest', (request, _reply, done) => {
      const token = sessionTokenOf(request);
      if (token === undefined || !TOKEN_SHAPE.test(token)) return done();
      const key = sessionCacheKey(token);
      const cached = cache.get(key);
      if (cached !== undefined) {
        attach(request, cached);
        return done();
      }
      cache
        .load(key, () => options.resolve(token))
        .then(
          (resolved) => {
            attach(request, resolved);
            done();
          },
          (error: unknown) => {
            request.log.warn(
              { err: error },
              'could not resolve the session; treating the request as anonymous',
            );
            resolveFailures.set(request, error);
            done();
          },
        );
    });
  },
  { name: 'session', dependencies: ['cookie'] },
);

/**
 * Route hook: a signed-in member or 401 `unauthenticated` (a dead cookie is cleared on the way).
 * When identity could not be asked, its error (a 503) is the answer instead.
 */
export function requireMember(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  if (request.session) {
    done();
    return;
  }
  const failure = resolveFailures.get(request);
  if (failure === undefined && sessionTokenOf(request) !== undefined) reply.clearSessionCookie();
  done(
    (failure as Error | undefined) ??
      new AppError('unauthenticated', 401, 'Sign in first: this needs a session.'),
  );
}

/** `request.session` on a route guarded by {@link requireMember}. */
export function memberOf(request: FastifyRequest): RequestSession {
  if (!request.session) throw new AppError('unauthenticated', 401, 'Sign in first: this needs a session.');
  return request.session;
}
