import { z } from 'zod';
import { type Context, rpcSubject } from './contexts.ts';
import { defineRpc } from './define.ts';

export const healthResponseSchema = z.object({
  service: z.string(),
  version: z.string(),
  instanceId: z.string(),
  status: z.enum(['ok', 'degraded']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** Every service answers `<context>.rpc.health`; the gateway's `/readyz` asks each one. */
export function healthRpc(context: Context) {
  return defineRpc({
    subject: rpcSubject(context, 'health'),
    request: z.object({}).strict(),
    response: healthResponseSchema,
  });
}
