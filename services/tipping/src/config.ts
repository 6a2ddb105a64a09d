import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema } from '@coterie/config';
import { addressSchema, baseUnitsSchema, chainIdSchema, idSchema } from '@coterie/contracts';
import { z } from 'zod';

const json = <T extends z.ZodType>(schema: T, hint: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON: ${hint}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * Tokens tips may be paid in. `communityId` limits an entry to one community (that is how a
 * community's own token is added until communities carry their token); without it, every
 * community accepts it. `token: "native"` is the chain's currency.
 */
const tipTokenSchema = z.object({
  chainId: chainIdSchema,
  token: z.union([addressSchema, z.literal('native')]),
  symbol: z.string().min(1).max(16),
  decimals: z.number().int().min(0).max(77),
  /** Smallest accepted transfer, in base units. */
  min: baseUnitsSchema.default('1'),
  communityId: idSchema.optional(),
});

const minorUnits = z
  .string()
  .regex(/^[0-9]{1,12}$/)
  .transform(BigInt);
const fiatLimitsSchema = z.record(
  z.string().regex(/^[a-z]{3}$/),
  z
    .object({ min: minorUnits, max: minorUnits })
    .refine((l) => l.min > 0n && l.min <= l.max, 'need 0 < min ≤ max'),
);

/** Minor units per currency (¥ has none, so JPY's 100 is ¥100 and USD's 100 is $1.00). */
const DEFAULT_FIAT_LIMITS =
  '{"usd":{"min":"100","max":"100000"},"eur":{"min":"100","max":"100000"},"gbp":{"min":"100","max":"100000"},"jpy":{"min":"100","max":"150000"}}';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment of the tipping service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema.extend({
  /** Chains crypto tips are verified on; `confirmations` per chain decides pending → confirmed. */
  CHAINS: chainsEnvSchema,
  TIP_TOKENS: json(
    z.array(tipTokenSchema),
    '[{"chainId":31337,"token":"0x…","symbol":"CTR","decimals":18,"min":"1"}]',
  ).prefault('[]'),
  /** Unset: fiat tips answer 409 `stripe_not_configured`. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Where the Stripe SDK sends API calls (tests point it at a local double); Stripe's own by default. */
  STRIPE_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The platform's share of each fiat tip in basis points (500 = 5 %); rounded down to the minor unit. */
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Per-currency min/max of a fiat tip in minor units; currencies not listed are refused. */
  TIP_FIAT_LIMITS: json(fiatLimitsSchema, '{"usd":{"min":"100","max":"100000"}}').prefault(
    DEFAULT_FIAT_LIMITS,
  ),
  /** How often the confirmer re-checks pending crypto tips. */
  TIP_CONFIRMER_INTERVAL_MS: ms(2_000),
  /** A submitted tx that is still not mined after this long is rejected as `tx_not_found`. */
  TIP_UNMINED_TIMEOUT_MS: ms(30 * 60_000),
  TIP_CHAIN_RPC_TIMEOUT_MS: ms(5_000),
});
export type Config = z.infer<typeof configSchema>;
export type TipTokenConfig = z.infer<typeof tipTokenSchema>;
