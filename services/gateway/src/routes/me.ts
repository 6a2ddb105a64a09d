import { AppError, entitlementsRpc, identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { collectMemberData } from '../application/member-data.ts';
import type { SessionCache } from '../application/session-cache.ts';
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
  /** This replica's session cache: an erasure forgets the member's sessions at once. */
  cache: SessionCache;
  /** Per client IP per minute for `/v1/me/emails/start` (it sends mail) and for linking proofs. */
  emailStartPerMinute: number;
  ratePerMinute: number;
}

const security = [{ sessionCookie: [] }];

const section = (context: string) =>
  Type.Unknown({ description: `what ${context} holds (\`${context}MemberDataSchema\` in libs/contracts)` });

/** `GET /v1/me/data`: one section per context; never a token, code, hash or signing secret. */
const MemberDataSchema = Type.Object(
  {
    format: Type.Literal('coterie.member-data'),
    version: Type.Literal(1),
    memberId: Type.String({ format: 'uuid' }),
    exportedAt: Type.String({ format: 'date-time' }),
    identity: section('identity'),
    entitlements: section('entitlements'),
    tipping: section('tipping'),
    events: section('events'),
    governance: section('governance'),
    analytics: section('analytics'),
  },
  { title: 'MemberData' },
);

const ErasureSchema = Type.Object({
  erasure: Type.Object({
    memberId: Type.String({ format: 'uuid' }),
    requestedAt: Type.String({ format: 'date-time' }),
  }),
});

/** The signed-in member: profile, linked wallets and emails. Every route needs a session. */
export const meRoutes: FastifyPluginAsyncTypebox<MeRoutesOptions> = async (fastify, options) => {
  const { rpc, cache } = options;
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

  fastify.get(
    '/v1/me/data',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'Download everything Coterie holds about you (JSON attachment)',
        description:
          'Assembled from every service: profile, wallets, emails and session metadata (identity); ' +
          'communities, roles, memberships and subscriptions (entitlements); tips sent and received, ' +
          'rewards and balances (tipping); RSVPs, tickets and refunds (events); votes and proposals ' +
          '(governance); activity days and NPS answers (analytics). No tokens, codes or hashes.',
        security,
        response: { 200: MemberDataSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      const data = await collectMemberData(rpc, memberId);
      return reply
        .header('content-disposition', `attachment; filename="coterie-data-${memberId}.json"`)
        .send(data);
    },
  );

  fastify.delete(
    '/v1/me/data',
    {
      config: { rateLimit },
      schema: {
        tags: ['identity'],
        summary: 'Erase your personal data and close the account',
        description:
          'Identity pseudonymises the member at once (display name "Deleted member", bio and avatar ' +
          'cleared, emails removed, wallets unlinked, every session revoked) and publishes ' +
          '`identity.member.erased.v1`; the other services then scrub the free text they hold (tip ' +
          'messages, NPS comments, calendar feed) within seconds, keeping ledger entries, votes and ' +
          'tallies. 202 with the erasure; the session cookie is cleared. Signing in again with the ' +
          'same wallet or email creates a new member.',
        security,
        response: { 202: ErasureSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      const { erasure } = await rpc.call(identityRpc.eraseMember, { memberId });
      // Identity's `identity.session.revoked.v1` empties every replica's cache; this one forgets now.
      cache.revoke({ memberId, sessionIds: [], all: true });
      return reply
        .clearSessionCookie()
        .code(202)
        .send({ erasure: { memberId: erasure.memberId, requestedAt: erasure.requestedAt } });
    },
  );
};
