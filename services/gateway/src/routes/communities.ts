import { AppError, communitySlugSchema, entitlementsRpc, identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { MembershipCache } from '../application/membership-cache.ts';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import {
  CommunitySchema,
  GateSchema,
  MembershipViewSchema,
  PageQuery,
  PerkSchema,
  PriceSchema,
  SlugParams,
  TierSchema,
  TippingPolicySchema,
  TreasurySchema,
  UrlResponseSchema,
} from '../schemas/entitlements.ts';
import { MemberSchema, toMemberView } from '../schemas/identity.ts';

export interface CommunityRoutesOptions {
  rpc: RpcClient;
  /** The callers' memberships, held while entitlements' events keep them current. */
  memberships: MembershipCache;
  /** Stripe return URLs must stay on the app (no open redirects). */
  appOrigin: string;
}

const security = [{ sessionCookie: [] }];
const tags = ['communities'];

/** A slug that cannot exist is simply not found (not a 400 about its spelling). */
export function slugOf(params: { c: string }): string {
  if (!communitySlugSchema.safeParse(params.c).success) {
    throw new AppError('community_not_found', 404, `No community "${params.c}".`);
  }
  return params.c;
}

/** Communities, roles, tiers and the caller's membership (entitlements), as API.md lists them. */
export const communityRoutes: FastifyPluginAsyncTypebox<CommunityRoutesOptions> = async (
  fastify,
  options,
) => {
  const { rpc } = options;
  /** A return URL on the app's origin: the given one if it is there, else the app's page `path`. */
  const appUrl = (given: string | undefined, path: string) => {
    if (given) {
      const url = new URL(given, options.appOrigin);
      if (url.origin === options.appOrigin) return url.toString();
      throw new AppError('invalid_request', 400, `Return URLs must be on ${options.appOrigin}.`);
    }
    return new URL(path, options.appOrigin).toString();
  };
  /** Optional JSON body of the Stripe routes: where Stripe sends the member back (on the app). */
  const returnUrls = (body: unknown) => {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.length <= 2_048 ? v : undefined);
    return {
      successUrl: str(b.successUrl),
      cancelUrl: str(b.cancelUrl),
      returnUrl: str(b.returnUrl),
      refreshUrl: str(b.refreshUrl),
    };
  };

  fastify.post(
    '/v1/communities',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Create a community; the caller becomes its owner',
        body: Type.Object(
          {
            slug: Type.String({ minLength: 1, maxLength: 64 }),
            name: Type.String({ minLength: 1, maxLength: 80 }),
            description: Type.Optional(Type.String({ maxLength: 4_000 })),
            treasury: Type.Optional(TreasurySchema),
            tipping: Type.Optional(TippingPolicySchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ community: CommunitySchema }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { memberId } = memberOf(request);
      const result = await rpc.call(entitlementsRpc.createCommunity, { actorId: memberId, ...request.body });
      return reply.code(201).send(result);
    },
  );

  fastify.get(
    '/v1/communities',
    {
      schema: {
        tags,
        summary: 'The community directory',
        querystring: PageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(CommunitySchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      rpc.call(entitlementsRpc.listCommunities, {
        limit: request.query.limit ?? 20,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  fastify.get(
    '/v1/communities/:c',
    {
      schema: {
        tags,
        summary: 'One community (public fields)',
        params: SlugParams,
        response: { 200: Type.Object({ community: CommunitySchema }), ...problemResponses },
      },
    },
    async (request) => rpc.call(entitlementsRpc.getCommunity, { slug: slugOf(request.params) }),
  );

  fastify.patch(
    '/v1/communities/:c',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Update a community (owner or admin)',
        params: SlugParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
            description: Type.Optional(Type.String({ maxLength: 4_000 })),
            treasury: Type.Optional(Type.Union([TreasurySchema, Type.Null()])),
            tipping: Type.Optional(TippingPolicySchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ community: CommunitySchema }), ...problemResponses },
      },
    },
    async (request) =>
      rpc.call(entitlementsRpc.updateCommunity, {
        actorId: memberOf(request).memberId,
        slug: slugOf(request.params),
        patch: request.body,
      }),
  );

  fastify.put(
    '/v1/communities/:c/roles/:memberId',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "Set a member's role (owner or admin; only the owner makes admins)",
        params: Type.Object({ c: SlugParams.properties.c, memberId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { role: Type.Union([Type.Literal('admin'), Type.Literal('moderator'), Type.Literal('member')]) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ memberId: Type.String(), role: Type.String() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      // Entitlements holds roles for any id it is given; only identity knows who exists.
      const { member } = await rpc.call(identityRpc.getMember, { memberId: request.params.memberId });
      if (!member) throw new AppError('member_not_found', 404, 'No member has this id.');
      return rpc.call(entitlementsRpc.setRole, {
        actorId: memberOf(request).memberId,
        slug: slugOf(request.params),
        memberId: request.params.memberId,
        role: request.body.role,
      });
    },
  );

  fastify.post(
    '/v1/communities/:c/tiers',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Create a membership tier with its gate (owner or admin)',
        params: SlugParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 80 }),
            description: Type.Optional(Type.String({ maxLength: 4_000 })),
            rank: Type.Integer({
              minimum: 1,
              maximum: 1_000,
              description: 'higher is better; unique per community',
            }),
            perks: Type.Optional(Type.Array(PerkSchema, { maxItems: 50 })),
            price: Type.Optional(PriceSchema),
            gate: GateSchema,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ tier: TierSchema }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await rpc.call(entitlementsRpc.createTier, {
        actorId: memberOf(request).memberId,
        slug: slugOf(request.params),
        tier: request.body,
      });
      return reply.code(201).send(result);
    },
  );

  fastify.get(
    '/v1/communities/:c/tiers',
    {
      schema: {
        tags,
        summary: "A community's tiers; perk URLs only for members holding the tier",
        params: SlugParams,
        // A community has few tiers: one page holds up to 100, all of them unless told otherwise.
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
          cursor: PageQuery.properties.cursor,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(TierSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      rpc.call(entitlementsRpc.listTiers, {
        slug: slugOf(request.params),
        limit: request.query.limit ?? 100,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        ...(request.session ? { viewerId: request.session.memberId } : {}),
      }),
  );

  fastify.get(
    '/v1/communities/:c/membership',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "The caller's tier in this community and the proofs behind it",
        params: SlugParams,
        response: { 200: MembershipViewSchema, ...problemResponses },
      },
    },
    (request, reply) => {
      const slug = slugOf(request.params);
      const { memberId } = memberOf(request);
      // The hot path (held in memory) answers at once; only a miss waits on entitlements.
      const held = options.memberships.peek(slug, memberId);
      if (held) {
        reply.send(held);
        return;
      }
      return options.memberships.get(slug, memberId, () =>
        rpc.call(entitlementsRpc.getMembership, { slug, memberId }),
      );
    },
  );

  fastify.post(
    '/v1/communities/:c/membership/refresh',
    {
      onRequest: requireMember,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        security,
        summary: 'Re-read chain holdings now and re-evaluate the caller',
        params: SlugParams,
        response: { 200: MembershipViewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { memberId } = memberOf(request);
      const view = await rpc.call(entitlementsRpc.refreshMembership, {
        slug: slugOf(request.params),
        memberId,
      });
      // Its events follow; until they arrive, no read may be answered from before the refresh.
      options.memberships.forget(memberId);
      return view;
    },
  );

  fastify.get(
    '/v1/communities/:c/members',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Members with their tier, proofs and role (admins and moderators)',
        params: SlugParams,
        querystring: PageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                member: Type.Union([MemberSchema, Type.Null()]),
                tier: Type.Union([
                  Type.Object({ id: Type.String(), name: Type.String(), rank: Type.Integer() }),
                  Type.Null(),
                ]),
                via: Type.Array(Type.Unknown()),
                role: Type.Union([Type.String(), Type.Null()]),
                since: Type.String({ format: 'date-time' }),
              }),
            ),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await rpc.call(entitlementsRpc.listMembers, {
        actorId: memberOf(request).memberId,
        slug: slugOf(request.params),
        limit: request.query.limit ?? 20,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      });
      const { members } = await rpc.call(identityRpc.getMembers, {
        memberIds: page.items.map((i) => i.memberId),
      });
      const byId = new Map(members.map((m) => [m.id, toMemberView(m)]));
      return {
        items: page.items.map(({ memberId, ...rest }) => ({ member: byId.get(memberId) ?? null, ...rest })),
        nextCursor: page.nextCursor,
      };
    },
  );

  fastify.patch(
    '/v1/communities/:c/tiers/:tierId',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Update a tier (owner or admin); members are re-evaluated',
        params: Type.Object({ c: SlugParams.properties.c, tierId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
            description: Type.Optional(Type.String({ maxLength: 4_000 })),
            rank: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000 })),
            perks: Type.Optional(Type.Array(PerkSchema, { maxItems: 50 })),
            price: Type.Optional(Type.Union([PriceSchema, Type.Null()])),
            gate: Type.Optional(GateSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ tier: TierSchema }), ...problemResponses },
      },
    },
    async (request) =>
      rpc.call(entitlementsRpc.updateTier, {
        actorId: memberOf(request).memberId,
        slug: slugOf(request.params),
        tierId: request.params.tierId,
        patch: request.body,
      } as never),
  );

  fastify.post(
    '/v1/communities/:c/tiers/:tierId/checkout',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Stripe Checkout for a priced tier (409 stripe_not_configured without Stripe keys)',
        params: Type.Object({ c: SlugParams.properties.c, tierId: Type.String({ format: 'uuid' }) }),
        response: { 201: UrlResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const slug = slugOf(request.params);
      const result = await rpc.call(
        entitlementsRpc.createCheckout,
        {
          actorId: memberOf(request).memberId,
          slug,
          tierId: request.params.tierId,
          successUrl: appUrl(returnUrls(request.body).successUrl, `/c/${slug}?checkout=success`),
          cancelUrl: appUrl(returnUrls(request.body).cancelUrl, `/c/${slug}?checkout=cancelled`),
        },
        { timeoutMs: 15_000 },
      );
      return reply.code(201).send(result);
    },
  );

  fastify.post(
    '/v1/communities/:c/billing-portal',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "Stripe's customer portal for the caller's subscriptions",
        params: SlugParams,
        response: { 200: UrlResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const slug = slugOf(request.params);
      return rpc.call(
        entitlementsRpc.createBillingPortal,
        {
          actorId: memberOf(request).memberId,
          slug,
          returnUrl: appUrl(returnUrls(request.body).returnUrl, `/c/${slug}`),
        },
        { timeoutMs: 15_000 },
      );
    },
  );

  fastify.post(
    '/v1/communities/:c/stripe/connect',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Stripe Connect onboarding link for the community (owner or admin)',
        params: SlugParams,
        response: { 200: UrlResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const slug = slugOf(request.params);
      return rpc.call(
        entitlementsRpc.connectStripe,
        {
          actorId: memberOf(request).memberId,
          slug,
          refreshUrl: appUrl(returnUrls(request.body).refreshUrl, `/c/${slug}/settings?stripe=refresh`),
          returnUrl: appUrl(returnUrls(request.body).returnUrl, `/c/${slug}/settings?stripe=connected`),
        },
        { timeoutMs: 15_000 },
      );
    },
  );
};
