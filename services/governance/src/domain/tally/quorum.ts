import type { Quorum } from '@coterie/contracts';

const BPS = 10_000n;

/**
 * The participating power a proposal needs, fixed at creation: the absolute value, or
 * ⌈supply·bps/10 000⌉ (rounded up, so "50 %" of an odd supply is never met by less than half).
 */
export function quorumRequired(quorum: Quorum, supply: bigint | undefined): bigint {
  if (quorum.kind === 'absolute') return BigInt(quorum.value);
  if (supply === undefined) throw new RangeError('a percent-of-supply quorum needs the supply');
  return (supply * BigInt(quorum.bps) + BPS - 1n) / BPS;
}

/** Reached when the voters' total power is at least the requirement (a zero requirement is always met). */
export function quorumReached(totalPower: bigint, required: bigint): boolean {
  return totalPower >= required;
}
