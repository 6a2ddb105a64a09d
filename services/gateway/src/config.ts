import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema, urlSchema } from '@coterie/config';
import { getAddress } from 'viem';
import { z } from 'zod';

// An env file line `KEY=` means "not set", not "set to the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')
  .transform((value) => getAddress(value));

/** What the dev chain deployed (`npm start` / `npm test`); shown to the app by `GET /v1/config`. */
export const demoInfoSchema = z.object({
  communitySlug: z.string().min(1),
  contracts: z.object({
    CommunityToken: address,
    MembershipPass: address,
    MemberBadge: address,
    SmartWallet: address,
  }),
});
export type DemoInfo = z.infer<typeof demoInfoSchema>;

const demoInfoEnvSchema = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON {communitySlug, contracts:{…}}' });
      return z.NEVER;
    }
  })
  .pipe(demoInfoSchema);

/** Environment of the gateway; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    APP_ORIGIN: urlSchema(['http:', 'https:'])
      .default('http://localhost:3000')
      // Browsers send `Origin` without a path or trailing slash; compare like with like.
      .transform((value) => new URL(value).origin),
    APP_DOMAIN: optional(z.string().min(1)),
    CHAINS: optional(chainsEnvSchema),
    DEMO_INFO: optional(demoInfoEnvSchema),
    STRIPE_PUBLISHABLE_KEY: optional(
      z.string().regex(/^pk_(test|live)_\w+$/, 'must be a Stripe pk_test_… or pk_live_… key'),
    ),
    /** Verifies `POST /v1/webhooks/stripe`; without it the route answers 409 stripe_not_configured. */
    STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_\w+$/, 'must be a Stripe whsec_… secret')),
    /** The previous secret, accepted too while a rotation is under way (two secrets live). */
    STRIPE_WEBHOOK_SECRET_PREVIOUS: optional(
      z.string().regex(/^whsec_\w+$/, 'must be a Stripe whsec_… secret'),
    ),
    READYZ_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1500),
    /** How long a resolved session is reused without asking identity; revocations evict at once. */
    SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(5_000).default(5_000),
    SESSION_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /**
     * How long a member's membership view is reused without asking entitlements; membership,
     * role, subscription and tier events evict at once. 0 turns the cache off.
     */
    MEMBERSHIP_CACHE_TTL_MS: z.coerce.number().int().min(0).max(30_000).default(5_000),
    MEMBERSHIP_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    /** Per client IP and route, per minute: SIWE, email verify, magic link, logout. */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Per client IP, per minute: `POST /v1/auth/email/start` and `/v1/me/emails/start` (they send mail). */
    AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  })
  // SIWE's `domain` is the origin's authority (host and port), e.g. `localhost:3000`.
  .transform((env) => ({ ...env, APP_DOMAIN: env.APP_DOMAIN ?? new URL(env.APP_ORIGIN).host }));

export type Config = z.infer<typeof configSchema>;
