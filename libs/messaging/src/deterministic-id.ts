import { createHash } from 'node:crypto';

/** Coterie's RFC 4122 namespace for name-based ids (a fixed random UUID). */
const COTERIE_NAMESPACE = Buffer.from('5f0c2b7e9a3d4c61b8e4f1a2d3c4b5a6', 'hex');

/**
 * A UUIDv5 of `name`: the same external fact (a Stripe event id, a chain log) always maps to the
 * same envelope id, so every inbox deduplicates redeliveries of it.
 */
export function deterministicEventId(name: string): string {
  const hash = createHash('sha1').update(COTERIE_NAMESPACE).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
