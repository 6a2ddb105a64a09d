import type { Gate } from '@coterie/contracts';
import { type Address, getAddress } from 'viem';

/**
 * The gate with every address EIP-55 checksummed (API.md: addresses are accepted in any case and
 * answered checksummed). Gates are stored this way, so the tier shows what the admin meant.
 */
export function checksumGate(gate: Gate): Gate {
  if ('any' in gate) return { any: gate.any.map(checksumGate) };
  if ('all' in gate) return { all: gate.all.map(checksumGate) };
  if ('not' in gate) return { not: checksumGate(gate.not) };
  if ('token' in gate) return { ...gate, token: getAddress(gate.token as Address) };
  if (gate.type === 'allowlist' && gate.addresses) {
    return { ...gate, addresses: gate.addresses.map((a) => getAddress(a as Address)) };
  }
  return gate;
}
