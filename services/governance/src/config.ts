import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema } from '@coterie/config';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment of the governance service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema.extend({
  /** The chains proposals may use (voting power, ERC-1271 wallets, the signing domain's chain id). */
  CHAINS: chainsEnvSchema,
  /** How far a signed vote's `timestamp` may be from the server's clock. */
  GOVERNANCE_VOTE_SKEW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** How often a replica looks for proposals past their end to publish the final result. */
  GOVERNANCE_CLOSE_INTERVAL_MS: ms(10_000),
  /** Upper bound on one chain read or signature verification; past it the request fails closed. */
  GOVERNANCE_RPC_TIMEOUT_MS: ms(5_000),
  /** Addresses per multicall when reading voting power (one `eth_call` each). */
  GOVERNANCE_MULTICALL_CHUNK: ms(1_000),
});
export type Config = z.infer<typeof configSchema>;
