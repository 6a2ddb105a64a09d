import { z } from 'zod';

/** An EVM address in any case on input; services return EIP-55 checksummed addresses. */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');
export const hexSchema = z.string().regex(/^0x[0-9a-fA-F]*$/, 'must be 0x-prefixed hex');
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .email()
  .transform((e) => e.toLowerCase());
export const idSchema = z.uuid();
export const isoDateSchema = z.iso.datetime({ offset: true });

/**
 * What every `<context>.rpc.exportMemberData` is asked (the gateway's `GET /v1/me/data`): the
 * signed-in member whose data to export. Each context answers with what it holds about them.
 */
export const memberDataRequestSchema = z.object({ memberId: idSchema });
