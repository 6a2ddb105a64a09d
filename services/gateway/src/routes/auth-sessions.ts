import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type SessionCache, sessionCacheKey } from '../application/session-cache.ts';
import { memberOf, requireMember, sessionTokenOf } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import { NoContentSchema } from '../schemas/identity.ts';

export interface AuthSessionsRoutesOptions {
  rpc: RpcClient;
  cache: SessionCache;
  ratePerMinute: number;
}

/**
 * Sign-out. Identity revokes and publishes `identity.session.revoked.v1`, which empties every
 * replica's cache; this replica also forgets at once, so its very next request is refused.
 */
export const authSessionsRoutes: FastifyPluginAsyncTypebox<AuthSessionsRoutesOptions> = async (
  fastify,
  options,
) => {
  const { rpc, cache } = options;
  const rateLimit = { max: options.ratePerMinute, timeWindow: 60_000 };

  fastify.post(
    '/v1/auth/logout',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'End this session (idempotent) and clear the cookie',
        security: [{ sessionCookie: [] }],
        response: { 204: NoContentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      // Asked even when the session did not resolve: if identity is down, the client must hear
      // that the logout failed (503) rather than a 204 for a session that lives on.
      if (token !== undefined && token.length <= 256) {
        await rpc.call(identityRpc.logout, { token });
        cache.delete(sessionCacheKey(token));
      }
      return reply.clearSessionCookie().code(204).send();
    },
  );

  fastify.post(
    '/v1/auth/logout-all',
    {
      config: { rateLimit },
      onRequest: requireMember,
      schema: {
        tags: ['identity'],
        summary: 'End every session of the signed-in member, on every device',
        security: [{ sessionCookie: [] }],
        response: { 204: NoContentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      await rpc.call(identityRpc.logoutAll, { memberId });
      cache.revoke({ memberId, sessionIds: [], all: true });
      return reply.clearSessionCookie().code(204).send();
    },
  );
};
