import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { problemResponses } from '../problems.ts';
import {
  clientOf,
  MemberResponseSchema,
  SIWE_BODY_LIMIT,
  SiweProofSchema,
  siweRequestErrors,
  toMemberView,
} from '../schemas/identity.ts';

export interface AuthSiweRoutesOptions {
  rpc: RpcClient;
  /** Requests per client IP per minute, per route. */
  ratePerMinute: number;
}

/** Identity's SIWE check may wait on the chain (ERC-1271) for its own 5 s timeout; we wait longer. */
export const SIWE_RPC_TIMEOUT_MS = 10_000;

/** Sign-In with Ethereum (EIP-4361): a server nonce, then the signed message for a session cookie. */
export const authSiweRoutes: FastifyPluginAsyncTypebox<AuthSiweRoutesOptions> = async (fastify, options) => {
  const { rpc } = options;
  const rateLimit = { max: options.ratePerMinute, timeWindow: 60_000 };
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  fastify.post(
    '/v1/auth/siwe/nonce',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'A single-use SIWE nonce (valid 10 minutes) to put in the message',
        response: {
          200: Type.Object({ nonce: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
          ...problemResponses,
        },
      },
    },
    async () => rpc.call(identityRpc.siweNonce, {}),
  );

  fastify.post(
    '/v1/auth/siwe/verify',
    {
      config: { rateLimit },
      bodyLimit: SIWE_BODY_LIMIT,
      errorHandler: siweRequestErrors,
      schema: {
        tags: ['identity'],
        summary: 'Sign in with a signed EIP-4361 message; sets the session cookie',
        description:
          'Errors: 400 `siwe_malformed` (also for a body over 64 KiB); 401 `siwe_nonce_invalid`, ' +
          '`siwe_domain_mismatch`, `siwe_uri_mismatch`, `siwe_chain_unsupported`, `siwe_expired`, ' +
          '`siwe_not_yet_valid`, `siwe_signature_invalid`; 503 `siwe_verification_unavailable` when ' +
          "a contract wallet's chain cannot be asked; 429 `rate_limited`.",
        body: SiweProofSchema,
        response: { 200: MemberResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const signedIn = await rpc.call(
        identityRpc.siweVerify,
        { ...request.body, client: clientOf(request) },
        { timeoutMs: SIWE_RPC_TIMEOUT_MS },
      );
      reply.setSessionCookie(signedIn.session);
      return { member: toMemberView(signedIn.member) };
    },
  );
};
