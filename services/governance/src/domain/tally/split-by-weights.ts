/**
 * Splits `amount` over `weights` in exact integers by the largest-remainder method: each part is
 * ⌊amount·wᵢ/W⌋, and the units left over (fewer than the number of parts) go one each to the parts
 * with the largest remainders (amount·wᵢ mod W), ties to the earlier part. The parts always sum to
 * `amount`. Weights must be positive.
 */
export function splitByWeights(amount: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((s, w) => s + w, 0n);
  if (total <= 0n || weights.some((w) => w <= 0n)) throw new RangeError('weights must be positive');
  const parts = weights.map((w) => (amount * w) / total);
  let left = amount - parts.reduce((s, p) => s + p, 0n);
  const byRemainder = weights
    .map((w, i) => ({ i, remainder: (amount * w) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts;
}
