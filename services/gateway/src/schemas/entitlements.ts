import { MAX_CHAIN_ID } from '@coterie/contracts';
import { Type } from '@sinclair/typebox';

/** TypeBox shapes of the "Communities, tiers, membership" part of API.md. */

export const SlugParams = Type.Object({
  c: Type.String({ minLength: 1, maxLength: 64, description: 'community slug' }),
});

const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });
const IsoDate = Type.String({ format: 'date-time' });

/** A chain id the services can store: larger ones are refused here (400), not by the database. */
export const ChainId = Type.Integer({ minimum: 1, maximum: MAX_CHAIN_ID });

export const TreasurySchema = Type.Object({ chainId: ChainId, address: Address });

export const TippingPolicySchema = Type.Union([Type.Literal('anyone'), Type.Literal('members')], {
  description: 'who may tip members here: anyone signed in, or only members (a tier or any role)',
});

export const CommunitySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    treasury: Type.Union([TreasurySchema, Type.Null()]),
    tipping: TippingPolicySchema,
    createdAt: IsoDate,
    updatedAt: IsoDate,
  },
  { title: 'Community' },
);

export const PerkSchema = Type.Object({ label: Type.String(), url: Type.Optional(Type.String()) });

export const PriceSchema = Type.Object({
  value: Type.String({ pattern: '^[1-9][0-9]{0,11}$', description: 'integer minor units' }),
  currency: Type.String({ pattern: '^[a-z]{3}$' }),
  interval: Type.Union([Type.Literal('month'), Type.Literal('year')]),
});

/** Gate JSON of API.md; validated (depth, leaves, chains, amounts) by entitlements. */
export const GateSchema = Type.Unknown({ description: 'Gate JSON: {any|all:[…]}, {not:…} or a typed leaf' });

export const TierSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    communityId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.String(),
    rank: Type.Integer(),
    perks: Type.Array(PerkSchema),
    price: Type.Union([PriceSchema, Type.Null()]),
    gate: GateSchema,
    createdAt: IsoDate,
    updatedAt: IsoDate,
  },
  { title: 'Tier' },
);

export const TierRefSchema = Type.Object({ id: Type.String(), name: Type.String(), rank: Type.Integer() });

export const MembershipViewSchema = Type.Object(
  {
    tier: Type.Union([TierRefSchema, Type.Null()]),
    via: Type.Array(Type.Unknown(), { description: 'the proofs that matched (subscription, erc20, …)' }),
    checkedAt: Type.Union([IsoDate, Type.Null()]),
    validUntil: Type.Union([IsoDate, Type.Null()]),
  },
  { title: 'MembershipView' },
);

export const UrlResponseSchema = Type.Object({ url: Type.String() });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
