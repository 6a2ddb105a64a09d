import { z } from 'zod';

export const chainConfigSchema = z.object({
  chainId: z.number().int().positive(),
  name: z.string().min(1).default('EVM chain'),
  rpcUrl: z.url(),
  /** Blocks after which a log or receipt is treated as final. */
  confirmations: z.number().int().min(0).default(1),
  /** Multicall3 address; the canonical one by default. */
  multicall3: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .default('0xcA11bde05977b3631167028862bE2a173976CA11'),
});
export type ChainConfig = z.infer<typeof chainConfigSchema>;

/** `CHAINS` is a JSON array: `[{"chainId":31337,"rpcUrl":"http://127.0.0.1:8545","confirmations":1}]`. */
export const chainsEnvSchema = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {chainId, rpcUrl, confirmations}' });
      return z.NEVER;
    }
  })
  .pipe(z.array(chainConfigSchema).min(1));
