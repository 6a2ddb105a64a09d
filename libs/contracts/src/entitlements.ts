import { z } from 'zod';
import { addressSchema, emailSchema, idSchema, isoDateSchema, memberDataRequestSchema } from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';

// ---------- amounts, roles ----------

const UINT256_MAX = (1n << 256n) - 1n;

/** A token amount or id in base units: a canonical decimal string (≤ 78 digits, ≤ 2^256 − 1). */
export const baseUnitsSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal string of base units (no sign, no leading zeros)')
  // zod runs every check even after the regex failed: only a digit string may reach BigInt().
  .refine((v) => !/^[0-9]+$/.test(v) || BigInt(v) <= UINT256_MAX, 'must fit in uint256');

/** The largest chain id the services store (PostgreSQL `integer` columns). */
export const MAX_CHAIN_ID = 2_147_483_647;

export const chainIdSchema = z.number().int().positive().max(MAX_CHAIN_ID);

/** Ordered from most to least powerful; a `role` gate is met by that role or a higher one. */
export const COMMUNITY_ROLES = ['owner', 'admin', 'moderator', 'member'] as const;
export const communityRoleSchema = z.enum(COMMUNITY_ROLES);
export type CommunityRole = z.infer<typeof communityRoleSchema>;

/** `owner` is never assigned: it is whoever created the community. */
export const assignableRoleSchema = z.enum(['admin', 'moderator', 'member']);

export const communitySlugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/,
    'must be 3–40 lower-case letters, digits or dashes, not starting or ending with a dash',
  );

// ---------- gates ----------

export const GATE_MAX_DEPTH = 8;
export const GATE_MAX_LEAVES = 64;

export const subscriptionGateSchema = z.object({ type: z.literal('subscription') }).strict();

export const erc20GateSchema = z
  .object({ type: z.literal('erc20'), chainId: chainIdSchema, token: addressSchema, min: baseUnitsSchema })
  .strict();

export const erc721GateSchema = z
  .object({
    type: z.literal('erc721'),
    chainId: chainIdSchema,
    token: addressSchema,
    min: baseUnitsSchema.optional(),
    /** Met when any one of these ids is owned by one of the member's wallets. */
    tokenIds: z.array(baseUnitsSchema).min(1).max(100).optional(),
  })
  .strict()
  .refine((g) => (g.min === undefined) !== (g.tokenIds === undefined), {
    message: 'an erc721 gate has exactly one of min or tokenIds',
  });

export const erc1155GateSchema = z
  .object({
    type: z.literal('erc1155'),
    chainId: chainIdSchema,
    token: addressSchema,
    tokenId: baseUnitsSchema,
    min: baseUnitsSchema,
  })
  .strict();

export const nativeGateSchema = z
  .object({ type: z.literal('native'), chainId: chainIdSchema, min: baseUnitsSchema })
  .strict();

export const allowlistGateSchema = z
  .object({
    type: z.literal('allowlist'),
    addresses: z.array(addressSchema).max(1_000).optional(),
    emails: z.array(emailSchema).max(1_000).optional(),
  })
  .strict()
  .refine((g) => (g.addresses?.length ?? 0) + (g.emails?.length ?? 0) > 0, {
    message: 'an allowlist names at least one address or email',
  });

export const roleGateSchema = z.object({ type: z.literal('role'), role: communityRoleSchema }).strict();

export const leafGateSchema = z.discriminatedUnion('type', [
  subscriptionGateSchema,
  erc20GateSchema,
  erc721GateSchema,
  erc1155GateSchema,
  nativeGateSchema,
  allowlistGateSchema,
  roleGateSchema,
]);
export type LeafGate = z.infer<typeof leafGateSchema>;
export type ChainGate = Extract<LeafGate, { chainId: number }>;

/**
 * The one type declared by hand: TypeScript cannot infer a recursive union from a schema that
 * refers to itself, so the combinators are spelled out and the leaves still come from zod.
 */
export type Gate = LeafGate | { any: Gate[] } | { all: Gate[] } | { not: Gate };

const gateNodeSchema: z.ZodType<Gate> = z.lazy(() =>
  z.union([
    leafGateSchema,
    z.object({ any: z.array(gateNodeSchema).min(1).max(GATE_MAX_LEAVES) }).strict(),
    z.object({ all: z.array(gateNodeSchema).min(1).max(GATE_MAX_LEAVES) }).strict(),
    z.object({ not: gateNodeSchema }).strict(),
  ]),
);

/**
 * The size limits are checked on the raw JSON first, iteratively and with early exit, so a
 * hostile 100,000-level `not` is refused in constant work instead of overflowing the stack of
 * the recursive schema below.
 */
function checkGateSize(input: unknown): string | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: input, depth: 1 }];
  let leaves = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (depth > GATE_MAX_DEPTH) return `a gate nests at most ${GATE_MAX_DEPTH} levels`;
    const children =
      node && typeof node === 'object'
        ? 'any' in node && Array.isArray(node.any)
          ? node.any
          : 'all' in node && Array.isArray(node.all)
            ? node.all
            : 'not' in node
              ? [node.not]
              : undefined
        : undefined;
    if (children === undefined) {
      leaves += 1;
      if (leaves > GATE_MAX_LEAVES) return `a gate has at most ${GATE_MAX_LEAVES} conditions`;
      continue;
    }
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}

/** Gate JSON of API.md: `{any:[…]}`, `{all:[…]}`, `{not:…}` or a leaf condition. */
export const gateSchema = z
  .unknown()
  .superRefine((input, ctx) => {
    const problem = checkGateSize(input);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(gateNodeSchema);

/** One matched leaf: why a member holds a tier. Balances are totals over the member's wallets. */
export const proofSchema = z.discriminatedUnion('type', [
  /** `tierId` is the tier the subscription pays for; absent when a gate is checked outside a tier. */
  z.object({ type: z.literal('subscription'), tierId: idSchema.optional() }),
  z.object({
    type: z.literal('erc20'),
    chainId: chainIdSchema,
    token: addressSchema,
    wallets: z.array(addressSchema),
    balance: baseUnitsSchema,
    min: baseUnitsSchema,
  }),
  z.object({
    type: z.literal('erc721'),
    chainId: chainIdSchema,
    token: addressSchema,
    wallets: z.array(addressSchema),
    balance: baseUnitsSchema.optional(),
    min: baseUnitsSchema.optional(),
    tokenIds: z.array(baseUnitsSchema).optional(),
  }),
  z.object({
    type: z.literal('erc1155'),
    chainId: chainIdSchema,
    token: addressSchema,
    tokenId: baseUnitsSchema,
    wallets: z.array(addressSchema),
    balance: baseUnitsSchema,
    min: baseUnitsSchema,
  }),
  z.object({
    type: z.literal('native'),
    chainId: chainIdSchema,
    wallets: z.array(addressSchema),
    balance: baseUnitsSchema,
    min: baseUnitsSchema,
  }),
  z.object({ type: z.literal('allowlist'), address: addressSchema.optional(), email: z.string().optional() }),
  z.object({ type: z.literal('role'), role: communityRoleSchema }),
]);
export type Proof = z.infer<typeof proofSchema>;

// ---------- communities, tiers, memberships ----------

export const treasurySchema = z.object({ chainId: chainIdSchema, address: addressSchema });

/** Who may tip members of a community: anyone signed in, or only its members (a tier or any role). */
export const tippingPolicySchema = z.enum(['anyone', 'members']);
export type TippingPolicy = z.infer<typeof tippingPolicySchema>;

export const communitySchema = z.object({
  id: idSchema,
  slug: communitySlugSchema,
  name: z.string(),
  description: z.string(),
  treasury: treasurySchema.nullable(),
  /** Defaults on read too, so a reader tolerates a producer that predates the setting. */
  tipping: tippingPolicySchema.default('anyone'),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Community = z.infer<typeof communitySchema>;

const communityNameSchema = z.string().trim().min(1).max(80);
const communityDescriptionSchema = z.string().trim().max(4_000);

export const perkSchema = z.object({
  label: z.string().trim().min(1).max(120),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_048)
    .optional(),
});
export type Perk = z.infer<typeof perkSchema>;

/** Fiat price in integer minor units (`"1500"` = 15.00); Stripe's amounts fit in 12 digits. */
export const tierPriceSchema = z.object({
  value: z.string().regex(/^[1-9][0-9]{0,11}$/, 'must be a positive integer amount of minor units'),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code'),
  interval: z.enum(['month', 'year']),
});
export type TierPrice = z.infer<typeof tierPriceSchema>;

export const tierInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(4_000).default(''),
  /** Higher is better; unique within a community. */
  rank: z.number().int().min(1).max(1_000),
  perks: z.array(perkSchema).max(50).default([]),
  price: tierPriceSchema.optional(),
  gate: gateSchema,
});

export const tierSchema = z.object({
  id: idSchema,
  communityId: idSchema,
  name: z.string(),
  description: z.string(),
  rank: z.number().int(),
  perks: z.array(perkSchema),
  price: tierPriceSchema.nullable(),
  gate: gateSchema,
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Tier = z.infer<typeof tierSchema>;

export const tierRefSchema = z.object({ id: idSchema, name: z.string(), rank: z.number().int() });
export type TierRef = z.infer<typeof tierRefSchema>;

export const membershipViewSchema = z.object({
  tier: tierRefSchema.nullable(),
  via: z.array(proofSchema),
  checkedAt: isoDateSchema.nullable(),
  /** When the safety-net re-verification is due; null without a tier. */
  validUntil: isoDateSchema.nullable(),
});
export type MembershipView = z.infer<typeof membershipViewSchema>;

const pageRequest = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

/** What `updateTier` may change; `price: null` takes a tier off sale (its subscribers keep theirs). */
export const tierPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    description: z.string().trim().max(4_000).optional(),
    rank: z.number().int().min(1).max(1_000).optional(),
    perks: z.array(perkSchema).max(50).optional(),
    price: tierPriceSchema.nullable().optional(),
    gate: gateSchema.optional(),
  })
  .strict();

/** Where Stripe sends the browser back to: our own pages, http(s) only. */
const redirectUrlSchema = z.url({ protocol: /^https?$/ }).max(2_048);

const communityRefSchema = z.object({ id: idSchema, slug: communitySlugSchema, name: z.string() });

/** What entitlements holds about a member (`GET /v1/me/data`). */
export const entitlementsMemberDataSchema = z.object({
  communitiesCreated: z.array(communityRefSchema.extend({ createdAt: isoDateSchema })),
  roles: z.array(
    z.object({ community: communityRefSchema, role: communityRoleSchema, updatedAt: isoDateSchema }),
  ),
  memberships: z.array(
    z.object({
      community: communityRefSchema,
      tier: tierRefSchema.nullable(),
      via: z.array(proofSchema),
      since: isoDateSchema.nullable(),
      checkedAt: isoDateSchema.nullable(),
      validUntil: isoDateSchema.nullable(),
    }),
  ),
  subscriptions: z.array(
    z.object({
      id: idSchema,
      community: communityRefSchema,
      tierId: idSchema,
      status: z.string(),
      interval: z.enum(['month', 'year']).nullable(),
      amount: z.object({ value: z.string(), currency: z.string() }).nullable(),
      currentPeriodEnd: isoDateSchema.nullable(),
      createdAt: isoDateSchema,
      updatedAt: isoDateSchema,
    }),
  ),
  /** The member's Customer on the platform's Stripe account (an id, not a credential). */
  stripeCustomerId: z.string().nullable(),
});
export type EntitlementsMemberData = z.infer<typeof entitlementsMemberDataSchema>;

// ---------- RPC ----------

export const entitlementsRpc = {
  createCommunity: defineRpc({
    subject: rpcSubject('entitlements', 'createCommunity'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      name: communityNameSchema,
      description: communityDescriptionSchema.default(''),
      treasury: treasurySchema.optional(),
      tipping: tippingPolicySchema.default('anyone'),
    }),
    response: z.object({ community: communitySchema }),
  }),
  listCommunities: defineRpc({
    subject: rpcSubject('entitlements', 'listCommunities'),
    request: z.object(pageRequest),
    response: z.object({ items: z.array(communitySchema), nextCursor: z.string().nullable() }),
  }),
  getCommunity: defineRpc({
    subject: rpcSubject('entitlements', 'getCommunity'),
    request: z.object({ slug: communitySlugSchema }),
    response: z.object({ community: communitySchema }),
  }),
  updateCommunity: defineRpc({
    subject: rpcSubject('entitlements', 'updateCommunity'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      patch: z
        .object({
          name: communityNameSchema.optional(),
          description: communityDescriptionSchema.optional(),
          treasury: treasurySchema.nullable().optional(),
          tipping: tippingPolicySchema.optional(),
        })
        .strict(),
    }),
    response: z.object({ community: communitySchema }),
  }),
  setRole: defineRpc({
    subject: rpcSubject('entitlements', 'setRole'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      memberId: idSchema,
      role: assignableRoleSchema,
    }),
    response: z.object({ memberId: idSchema, role: communityRoleSchema }),
  }),
  createTier: defineRpc({
    subject: rpcSubject('entitlements', 'createTier'),
    request: z.object({ actorId: idSchema, slug: communitySlugSchema, tier: tierInputSchema }),
    response: z.object({ tier: tierSchema }),
  }),
  listTiers: defineRpc({
    subject: rpcSubject('entitlements', 'listTiers'),
    request: z.object({
      slug: communitySlugSchema,
      viewerId: idSchema.optional(),
      // A community has few tiers: by default one page holds them all.
      limit: z.number().int().min(1).max(100).default(100),
      cursor: pageRequest.cursor,
    }),
    response: z.object({ items: z.array(tierSchema), nextCursor: z.string().nullable() }),
  }),
  getMembership: defineRpc({
    subject: rpcSubject('entitlements', 'getMembership'),
    request: z.object({ slug: communitySlugSchema, memberId: idSchema }),
    response: membershipViewSchema,
  }),
  refreshMembership: defineRpc({
    subject: rpcSubject('entitlements', 'refreshMembership'),
    request: z.object({ slug: communitySlugSchema, memberId: idSchema }),
    response: membershipViewSchema,
  }),
  /** For services that hold a community id (tips, events, proposals). */
  getCommunityById: defineRpc({
    subject: rpcSubject('entitlements', 'getCommunityById'),
    request: z.object({ communityId: idSchema }),
    response: z.object({ community: communitySchema }),
  }),
  /** The community's Stripe connected account (destination charges for tips and tickets). */
  stripeAccount: defineRpc({
    subject: rpcSubject('entitlements', 'stripeAccount'),
    request: z.object({ communityId: idSchema }),
    response: z.object({ accountId: z.string().nullable(), chargesEnabled: z.boolean() }),
  }),
  /** Every community where the member holds a tier (for `GET /v1/me`). */
  listMemberships: defineRpc({
    subject: rpcSubject('entitlements', 'listMemberships'),
    request: z.object({ memberId: idSchema }),
    response: z.object({
      items: z.array(
        z.object({
          community: z.object({ id: idSchema, slug: communitySlugSchema, name: z.string() }),
          tier: tierRefSchema,
          via: z.array(proofSchema),
          since: isoDateSchema,
          validUntil: isoDateSchema.nullable(),
        }),
      ),
    }),
  }),
  /** The hot path: answered from memory. Owners and admins are always allowed. */
  check: defineRpc({
    subject: rpcSubject('entitlements', 'check'),
    request: z.object({
      memberId: idSchema,
      communityId: idSchema,
      minRank: z.number().int().min(0).optional(),
    }),
    response: z.object({
      allowed: z.boolean(),
      tier: tierRefSchema.nullable(),
      role: communityRoleSchema.nullable(),
    }),
  }),
  /**
   * Operators only (`pnpm rescan:chain`, no HTTP route): the Transfer-log watcher of `chainId`
   * reads again from `fromBlock`. Its cursor moves back, never forward; every member a transfer
   * in the re-read range touched is re-evaluated, so running it twice changes nothing more.
   * 400 `unknown_chain` for a chain not in CHAINS.
   */
  rescanChain: defineRpc({
    subject: rpcSubject('entitlements', 'rescanChain'),
    request: z.object({
      chainId: chainIdSchema,
      fromBlock: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    }),
    response: z.object({
      chainId: z.number().int(),
      /** The next block the watcher was going to read; null if it had not started on this chain. */
      previousNextBlock: z.number().int().nullable(),
      /** The next block it reads now. */
      nextBlock: z.number().int(),
    }),
  }),
  /** `PATCH /v1/communities/:c/tiers/:tierId` (owner/admin): emits `tier.updated`; members are re-verified. */
  updateTier: defineRpc({
    subject: rpcSubject('entitlements', 'updateTier'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      tierId: idSchema,
      patch: tierPatchSchema,
    }),
    response: z.object({ tier: tierSchema }),
  }),
  /**
   * `POST /v1/communities/:c/tiers/:tierId/checkout` → 201 `{url}`. 409 `stripe_not_configured`
   * (no keys), `stripe_account_missing` (the community has not connected Stripe),
   * `stripe_account_not_ready` (onboarding unfinished), `tier_not_priced`, `already_subscribed`.
   */
  createCheckout: defineRpc({
    subject: rpcSubject('entitlements', 'createCheckout'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      tierId: idSchema,
      successUrl: redirectUrlSchema,
      cancelUrl: redirectUrlSchema,
    }),
    response: z.object({ url: z.string() }),
  }),
  /** `POST /v1/communities/:c/billing-portal` → `{url}`; 404 `stripe_customer_not_found` before any checkout. */
  createBillingPortal: defineRpc({
    subject: rpcSubject('entitlements', 'createBillingPortal'),
    request: z.object({ actorId: idSchema, slug: communitySlugSchema, returnUrl: redirectUrlSchema }),
    response: z.object({ url: z.string() }),
  }),
  /** `POST /v1/communities/:c/stripe/connect` (owner/admin) → `{url}`: Connect (Express) onboarding. */
  connectStripe: defineRpc({
    subject: rpcSubject('entitlements', 'connectStripe'),
    request: z.object({
      actorId: idSchema,
      slug: communitySlugSchema,
      refreshUrl: redirectUrlSchema,
      returnUrl: redirectUrlSchema,
    }),
    response: z.object({ url: z.string() }),
  }),
  listMembers: defineRpc({
    subject: rpcSubject('entitlements', 'listMembers'),
    request: z.object({ actorId: idSchema, slug: communitySlugSchema, ...pageRequest }),
    response: z.object({
      items: z.array(
        z.object({
          memberId: idSchema,
          tier: tierRefSchema.nullable(),
          via: z.array(proofSchema),
          role: communityRoleSchema.nullable(),
          since: isoDateSchema,
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
  }),
  /** `GET /v1/me/data`: the member's roles, memberships (tier or not), subscriptions and communities created. */
  exportMemberData: defineRpc({
    subject: rpcSubject('entitlements', 'exportMemberData'),
    request: memberDataRequestSchema,
    response: entitlementsMemberDataSchema,
  }),
};

// ---------- events ----------

export const communityCreatedV1 = defineEvent({
  type: 'entitlements.community.created',
  version: 1,
  data: z.object({ communityId: idSchema, slug: communitySlugSchema, name: z.string(), ownerId: idSchema }),
});

export const tierCreatedV1 = defineEvent({
  type: 'entitlements.tier.created',
  version: 1,
  data: z.object({ tier: tierSchema }),
});

export const tierUpdatedV1 = defineEvent({
  type: 'entitlements.tier.updated',
  version: 1,
  data: z.object({ tier: tierSchema }),
});

/**
 * `version` counts the changes of one (community, member) membership, so a consumer that sees
 * events out of order (replicas' in-memory views, replays) keeps the newest state.
 */
const membershipEventBase = {
  communityId: idSchema,
  memberId: idSchema,
  version: z.number().int().positive(),
};

export const membershipGrantedV1 = defineEvent({
  type: 'entitlements.membership.granted',
  version: 1,
  data: z.object({ ...membershipEventBase, tier: tierRefSchema, via: z.array(proofSchema) }),
});

export const membershipChangedV1 = defineEvent({
  type: 'entitlements.membership.changed',
  version: 1,
  data: z.object({
    ...membershipEventBase,
    tier: tierRefSchema,
    previousTier: tierRefSchema,
    via: z.array(proofSchema),
  }),
});

/** `via` is empty: nothing matched any more. */
export const membershipRevokedV1 = defineEvent({
  type: 'entitlements.membership.revoked',
  version: 1,
  data: z.object({ ...membershipEventBase, previousTier: tierRefSchema, via: z.array(proofSchema) }),
});

export const roleChangedV1 = defineEvent({
  type: 'entitlements.role.changed',
  version: 1,
  data: z.object({
    communityId: idSchema,
    memberId: idSchema,
    role: communityRoleSchema,
    previousRole: communityRoleSchema.nullable(),
    changedBy: idSchema,
    version: z.number().int().positive(),
  }),
});

export const subscriptionStatusSchema = z.enum([
  'incomplete',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
]);

/** The facts MRR needs: one per state change of a Stripe subscription. */
export const subscriptionChangedV1 = defineEvent({
  type: 'entitlements.subscription.changed',
  version: 1,
  data: z.object({
    subscriptionId: idSchema,
    communityId: idSchema,
    memberId: idSchema,
    tierId: idSchema,
    status: subscriptionStatusSchema,
    previousStatus: subscriptionStatusSchema.nullable(),
    priceId: z.string(),
    interval: z.enum(['month', 'year']),
    amount: z.object({ value: z.string().regex(/^[0-9]{1,12}$/), currency: z.string().regex(/^[a-z]{3}$/) }),
    currentPeriodEnd: isoDateSchema.nullable(),
  }),
});

export const entitlementsEvents = [
  communityCreatedV1,
  tierCreatedV1,
  tierUpdatedV1,
  membershipGrantedV1,
  membershipChangedV1,
  membershipRevokedV1,
  roleChangedV1,
  subscriptionChangedV1,
] as const;
