import { randomUUID } from 'node:crypto';
import { AppError, tippingRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { CommunityDirectory } from '../application/community-directory.ts';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import { ChainId, PageQuery, SlugParams } from '../schemas/entitlements.ts';
import {
  LeaderboardSchema,
  MoneySchema,
  TipMessageSchema,
  TipRecipientSchema,
  TipSchema,
  TxHashSchema,
} from '../schemas/tipping.ts';

export interface TipRoutesOptions {
  rpc: RpcClient;
  communities: CommunityDirectory;
}

const tags = ['tips'];
const security = [{ sessionCookie: [] }];
const TipParams = Type.Object({ c: SlugParams.properties.c, id: Type.String({ format: 'uuid' }) });
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'a retry with the same key returns the same tip',
    }),
  ),
});
/** Chain reads (tx, receipt, identity lookups) can take a few seconds on a slow RPC node. */
const CHAIN_RPC_TIMEOUT_MS = 15_000;

/** Tips (fiat through Stripe, crypto proven by a tx hash), the feed, the leaderboard, admin rewards. */
export const tipRoutes: FastifyPluginAsyncTypebox<TipRoutesOptions> = async (fastify, options) => {
  const { rpc, communities } = options;

  fastify.post(
    '/v1/communities/:c/tips',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Tip a member or the creator in fiat: a Stripe PaymentIntent to confirm with clientSecret',
        params: SlugParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          { to: TipRecipientSchema, amount: MoneySchema, message: Type.Optional(TipMessageSchema) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ tip: TipSchema, clientSecret: Type.String() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(
        tippingRpc.createFiatTip,
        {
          actorId: memberOf(request).memberId,
          communityId: community.id,
          ...request.body,
          idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
        },
        { timeoutMs: 15_000 },
      );
      return reply.code(201).send(result);
    },
  );

  fastify.post(
    '/v1/communities/:c/tips/crypto',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Claim an on-chain transfer from your wallet as a tip; the same tx again gives the same tip',
        params: SlugParams,
        body: Type.Object(
          {
            chainId: ChainId,
            txHash: TxHashSchema,
            to: Type.Optional(
              Type.Union([Type.String({ format: 'uuid' }), Type.Literal('creator')], {
                description: 'only transfers to this recipient count (default: any member or the treasury)',
              }),
            ),
            message: Type.Optional(TipMessageSchema),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ tip: TipSchema }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(
        tippingRpc.submitCryptoTip,
        { actorId: memberOf(request).memberId, communityId: community.id, ...request.body },
        { timeoutMs: CHAIN_RPC_TIMEOUT_MS },
      );
      return reply.code(202).send(result);
    },
  );

  fastify.get(
    '/v1/communities/:c/tips',
    {
      schema: {
        tags,
        summary: 'The feed: confirmed tips, newest first',
        params: SlugParams,
        querystring: PageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(TipSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(tippingRpc.listTips, {
        communityId: community.id,
        limit: request.query.limit ?? 20,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      });
    },
  );

  // A static segment: registered before `/tips/:id` (find-my-way prefers it anyway).
  fastify.get(
    '/v1/communities/:c/tips/leaderboard',
    {
      schema: {
        tags,
        summary: 'Top recipients and tippers per asset this week, this month or ever',
        params: SlugParams,
        querystring: Type.Object({
          period: Type.Optional(
            Type.Union([Type.Literal('week'), Type.Literal('month'), Type.Literal('all')], {
              default: 'all',
            }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
        }),
        response: { 200: LeaderboardSchema, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(tippingRpc.leaderboard, {
        communityId: community.id,
        period: request.query.period ?? 'all',
        limit: request.query.limit ?? 10,
      });
    },
  );

  fastify.get(
    '/v1/communities/:c/tips/:id',
    {
      schema: {
        tags,
        summary: 'One tip (poll it until a crypto tip is confirmed or rejected)',
        params: TipParams,
        response: { 200: Type.Object({ tip: TipSchema }), ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(tippingRpc.getTip, { communityId: community.id, tipId: request.params.id });
    },
  );

  fastify.post(
    '/v1/communities/:c/rewards',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary:
          'Reward a member (owner or admin): fiat (owed until they have a payout method) or a treasury tx',
        params: SlugParams,
        headers: IdempotencyHeaders,
        // One object rather than a union: Ajv's removeAdditional would strip one branch's fields
        // while trying the other. Exactly one of `amount` or `chainId`+`txHash` is checked below.
        body: Type.Object(
          {
            to: Type.String({ format: 'uuid' }),
            amount: Type.Optional(MoneySchema),
            chainId: Type.Optional(ChainId),
            txHash: Type.Optional(TxHashSchema),
            message: Type.Optional(TipMessageSchema),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ tip: TipSchema }, { description: 'a fiat reward, booked' }),
          202: Type.Object({ tip: TipSchema }, { description: 'a crypto reward, verified like a tip' }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const { to, amount, chainId, txHash, message } = request.body;
      const base = {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        to,
        ...(message === undefined ? {} : { message }),
      };
      if (amount && chainId === undefined && txHash === undefined) {
        const result = await rpc.call(tippingRpc.rewardMember, {
          ...base,
          amount,
          idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
        });
        return reply.code(201).send(result);
      }
      if (!amount && chainId !== undefined && txHash !== undefined) {
        const result = await rpc.call(
          tippingRpc.rewardMember,
          { ...base, chainId, txHash },
          { timeoutMs: CHAIN_RPC_TIMEOUT_MS },
        );
        return reply.code(202).send(result);
      }
      throw new AppError('invalid_request', 400, 'Give either amount (fiat) or chainId and txHash (crypto).');
    },
  );
};
