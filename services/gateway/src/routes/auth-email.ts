import { AppError, identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { problemResponses } from '../problems.ts';
import {
  AcceptedSchema,
  clientOf,
  EmailCodeSchema,
  EmailSchema,
  MemberResponseSchema,
  toMemberView,
} from '../schemas/identity.ts';

export interface AuthEmailRoutesOptions {
  rpc: RpcClient;
  /** Where the magic link lands the browser: `APP_ORIGIN`. */
  appOrigin: string;
  /** Requests per client IP per minute: `start` (it sends mail), and the others. */
  startPerMinute: number;
  ratePerMinute: number;
}

/** Where a dead magic link sends the browser: the app shows "this link is invalid or expired". */
export const LINK_INVALID_PATH = '/?signin=link-invalid';

/** identity's `rate_limited` carries `retryAfterSeconds`; HTTP clients read it as `Retry-After`. */
export function withRetryAfter(reply: FastifyReply) {
  return (error: unknown): never => {
    if (error instanceof AppError && error.status === 429) {
      const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof seconds === 'number' && Number.isFinite(seconds))
        reply.header('retry-after', String(seconds));
    }
    throw error;
  };
}

/** Email sign-in: a 6-digit code and a magic link by mail; either one opens a session. */
export const authEmailRoutes: FastifyPluginAsyncTypebox<AuthEmailRoutesOptions> = async (
  fastify,
  options,
) => {
  const { rpc } = options;
  const rateLimit = { max: options.ratePerMinute, timeWindow: 60_000 };
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  fastify.post(
    '/v1/auth/email/start',
    {
      config: { rateLimit: { max: options.startPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['identity'],
        summary: 'Mail a sign-in code and magic link',
        description:
          'Always 202 for a well-formed address, whether or not it belongs to a member (no enumeration). ' +
          '429 `rate_limited` per address and per client.',
        body: Type.Object({ email: EmailSchema }, { additionalProperties: false }),
        response: { 202: AcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await rpc
        .call(identityRpc.emailStart, { email: request.body.email, client: clientOf(request) })
        .catch(withRetryAfter(reply));
      return reply.code(202).send({});
    },
  );

  fastify.post(
    '/v1/auth/email/verify',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'Sign in with the mailed code; sets the session cookie',
        description:
          '401 `email_code_invalid` (wrong, expired or used); 429 `too_many_attempts` once five wrong codes locked it.',
        body: Type.Object({ email: EmailSchema, code: EmailCodeSchema }, { additionalProperties: false }),
        response: { 200: MemberResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const signedIn = await rpc.call(identityRpc.emailVerify, {
        email: request.body.email,
        code: request.body.code,
        client: clientOf(request),
      });
      reply.setSessionCookie(signedIn.session);
      return { member: toMemberView(signedIn.member) };
    },
  );

  fastify.get(
    '/v1/auth/email/callback',
    {
      // A HEAD would run this handler too and spend the single-use link.
      exposeHeadRoute: false,
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'The magic link: sets the session cookie and redirects to the app',
        description:
          `302 to the app (\`/\`) with the cookie set. An invalid, used or expired link: 302 to ` +
          `\`${LINK_INVALID_PATH}\` without a cookie.`,
        querystring: Type.Object({ token: Type.String({ maxLength: 1024 }) }),
        response: {
          302: Type.Null({ description: 'Redirect to the app (Location header)' }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { token } = request.query;
      // The token is a credential: it is left out of the request log (see app.ts) and only this line says how it went.
      const signedIn =
        token.length >= 1 && token.length <= 256
          ? await rpc
              .call(identityRpc.emailMagicLink, { token, client: clientOf(request) })
              .catch((error: unknown) => {
                if (error instanceof AppError && error.code === 'email_code_invalid') return null;
                throw error;
              })
          : null;
      if (!signedIn) {
        request.log.info('magic link refused');
        return reply.redirect(new URL(LINK_INVALID_PATH, options.appOrigin).href, 302);
      }
      request.log.info({ memberId: signedIn.member.id }, 'signed in by magic link');
      reply.setSessionCookie(signedIn.session);
      return reply.redirect(new URL('/', options.appOrigin).href, 302);
    },
  );
};
