import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema } from '@coterie/config';
import { z } from 'zod';

// An env file line `KEY=` means "not set", not "set to the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Environment of the entitlements service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema
  .extend({
    /** The chains gates may read: `[{"chainId":31337,"rpcUrl":"http://127.0.0.1:8545","confirmations":1}]`. */
    CHAINS: chainsEnvSchema,
    /** How long a checked membership stands before the safety net re-reads it. */
    MEMBERSHIP_REVERIFY_INTERVAL_MS: z.coerce.number().int().positive().default(300_000),
    /** Memberships re-verified together (one identity call; 500 chain reads per multicall). */
    MEMBERSHIP_REVERIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(1_000),
    /** How often the transfer-log watcher polls each chain for new confirmed blocks. */
    CHAIN_WATCH_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
    /** Blocks per `eth_getLogs` request (providers cap ranges; 2,000 suits most). */
    CHAIN_WATCH_MAX_BLOCKS: z.coerce.number().int().min(1).max(100_000).default(2_000),
    /**
     * How long one chain read (a balance multicall, a log query) may take, its retry included.
     * Past it the facts are unknown: nothing is granted, a refresh answers 503 chain_unavailable,
     * the watcher reads its range again. Below the gateway's 5 s RPC timeout by default.
     */
    CHAIN_RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    /** Stripe is on only when both keys are set; without them the fiat RPCs answer 409 stripe_not_configured. */
    STRIPE_SECRET_KEY: optional(
      z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe sk_… or rk_… key'),
    ),
    STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_\w+$/, 'must be a Stripe whsec_… secret')),
    /** Tests only: sends the SDK's calls to a local double, e.g. `http://127.0.0.1:12111`. */
    STRIPE_API_BASE_URL: optional(z.url({ protocol: /^https?$/ })),
    /** The platform's cut of every subscription, in basis points (500 = 5 %). */
    PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
    /** A past_due subscription keeps its tier this many days before it is revoked. */
    STRIPE_GRACE_DAYS: z.coerce.number().min(0).max(60).default(3),
  })
  .transform((env) => ({
    ...env,
    stripe:
      env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? { secretKey: env.STRIPE_SECRET_KEY, apiBaseUrl: env.STRIPE_API_BASE_URL }
        : undefined,
  }));
export type Config = z.infer<typeof configSchema>;
