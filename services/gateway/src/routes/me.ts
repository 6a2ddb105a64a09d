import { AppError, entitlementsRpc, identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import {
  AcceptedSchema,
  clientOf,
  EmailCodeSchema,
  EmailSchema,
  MemberResponseSchema,
  MemberSchema,
  MembershipSchema,
  NullableString,
  SIWE_BODY_LIMIT,
  SiweProofSchema,
  siweRequestErrors,
  toMemberView,
} from '../schemas/identity.ts';
import { withRetryAfter } from './auth-email.ts';
import { SIWE_RPC_TIMEOUT_MS } from './auth-siwe.ts';

export interface MeRoutesOptions {
  rpc: RpcClient;
  /** Per client IP per minute for `/v1/me/emails/start` (it sends mail) and for linking proofs. */
  emailStartPerMinute: number;
  ratePerMinute: number;
}

const security = [{ sessionCookie: [] }];

/** The signed-in member: profile, linked wallets and emails. Every route needs a session. */
export const meRoutes: FastifyPluginAsyncTypebox<MeRoutesOptions> = async (fastify, options) => {
  const { rpc } = options;
  const rateLimit = { max: options.ratePerMinute, timeWindow: 60_000 };
  fastify.addHook('onRequest', requireMember);
  fastify.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  fastify.get(
    '/v1/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The signed-in member and their memberships',
        security,
        response: {
          200: Type.Object({ member: MemberSchema, memberships: Type.Array(MembershipSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { memberId } = memberOf(request);
      const { member } = await rpc.call(identityRpc.getMember, { memberId });
      if (!member) throw new AppError('unauthenticated', 401, 'The member of this session no longer exists.');
      const { items } = await rpc.call(entitlementsRpc.listMemberships, { memberId });
      return {
        member: toMemberView(member),
        memberships: items,
      };
    },
  );

  fastify.patch(
    '/v1/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Update the profile; `null` clears a field',
        security,
        body: Type.Object(
          {
            displayName: Type.Optional(NullableString({ minLength: 1, maxLength: 80 })),
            bio: Type.Optional(NullableString({ maxLength: 2_000 })),
            avatarUrl: Type.Optional(
              NullableString({ format: 'uri', pattern: '^https?://', maxLength: 2_048 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: MemberResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { memberId } = memberOf(request);
      const { member } = await rpc.call(identityRpc.updateProfile, { memberId, ...request.body });
      return { member: toMemberView(member) };
    },
  );

  fastify.post(
    '/v1/me/wallets',
    {
      config: { rateLimit },
      bodyLimit: SIWE_BODY_LIMIT,
      errorHandler: siweRequestErrors,
      schema: {
        tags: ['identity'],
        summary: 'Link another wallet with a fresh SIWE proof (nonce from /v1/auth/siwe/nonce)',
        description:
          '409 `wallet_taken` when the wallet belongs to another member; otherwise the SIWE codes of ' +
          '`POST /v1/auth/siwe/verify`. Linking a wallet the member already has is a no-op.',
        security,
        body: SiweProofSchema,
        response: { 201: MemberResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      const { member } = await rpc.call(
        identityRpc.linkWallet,
        { memberId, ...request.body },
        { timeoutMs: SIWE_RPC_TIMEOUT_MS },
      );
      return reply.code(201).send({ member: toMemberView(member) });
    },
  );

  fastify.post(
    '/v1/me/emails/start',
    {
      config: { rateLimit: { max: options.emailStartPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['identity'],
        summary: 'Mail a code to prove an email to link',
        security,
        body: Type.Object({ email: EmailSchema }, { additionalProperties: false }),
        response: { 202: AcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      await rpc
        .call(identityRpc.linkEmailStart, { memberId, email: request.body.email, client: clientOf(request) })
        .catch(withRetryAfter(reply));
      return reply.code(202).send({});
    },
  );

  fastify.post(
    '/v1/me/emails/verify',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'Link the email with the mailed code',
        description: '401 `email_code_invalid`; 409 `email_taken` when it belongs to another member.',
        security,
        body: Type.Object({ email: EmailSchema, code: EmailCodeSchema }, { additionalProperties: false }),
        response: { 201: MemberResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      const { member } = await rpc.call(identityRpc.linkEmailVerify, {
        memberId,
        email: request.body.email,
        code: request.body.code,
      });
      return reply.code(201).send({ member: toMemberView(member) });
    },
  );
};
