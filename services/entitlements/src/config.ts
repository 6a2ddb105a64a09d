import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema } from '@coterie/config';
import { z } from 'zod';

/** Environment of the entitlements service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema.extend({
  /** The chains gates may read: `[{"chainId":31337,"rpcUrl":"http://127.0.0.1:8545","confirmations":1}]`. */
  CHAINS: chainsEnvSchema,
  /** How long a checked membership stands before the safety net re-reads it. */
  MEMBERSHIP_REVERIFY_INTERVAL_MS: z.coerce.number().int().positive().default(300_000),
  /** Memberships re-verified together (one identity call; 500 chain reads per multicall). */
  MEMBERSHIP_REVERIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(1_000),
});
export type Config = z.infer<typeof configSchema>;
