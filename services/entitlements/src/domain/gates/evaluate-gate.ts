import {
  COMMUNITY_ROLES,
  type CommunityRole,
  type Gate,
  type LeafGate,
  type Proof,
} from '@coterie/contracts';
import { getAddress } from 'viem';
import { balanceKey, type Facts, nativeKey, ownerKey } from './facts.ts';

export interface GateContext {
  /** The tier whose gate this is: a `subscription` leaf is met by a subscription to it. */
  tierId?: string;
  communityId?: string;
}

export interface GateResult {
  met: boolean;
  /** The leaves that matched, in gate order; a `not` never contributes. */
  via: Proof[];
  /** Not met because a fact it needs could not be read (set only then): not a proof of `false`. */
  unknown?: true;
}

/**
 * Kleene logic: a leaf whose facts could not be read is `unknown`, and `not unknown` stays
 * unknown. Treating unknown as false would make `{not: erc20}` pass whenever the token's RPC
 * fails; a gate is met only when it is provably true, so failures close the gate.
 */
type Truth = true | false | 'unknown';

interface NodeResult {
  value: Truth;
  via: Proof[];
}

/** Evaluates a gate over a snapshot of facts. Pure: every I/O happened before the call. */
export function evaluateGate(gate: Gate, facts: Facts, context: GateContext = {}): GateResult {
  const result = evaluateNode(gate, facts, context);
  if (result.value === true) return { met: true, via: result.via };
  return result.value === 'unknown' ? { met: false, via: [], unknown: true } : { met: false, via: [] };
}

function evaluateNode(gate: Gate, facts: Facts, context: GateContext): NodeResult {
  if ('any' in gate) {
    const results = gate.any.map((g) => evaluateNode(g, facts, context));
    if (results.some((r) => r.value === true)) {
      return { value: true, via: results.filter((r) => r.value === true).flatMap((r) => r.via) };
    }
    return { value: results.some((r) => r.value === 'unknown') ? 'unknown' : false, via: [] };
  }
  if ('all' in gate) {
    const results = gate.all.map((g) => evaluateNode(g, facts, context));
    if (results.some((r) => r.value === false)) return { value: false, via: [] };
    if (results.some((r) => r.value === 'unknown')) return { value: 'unknown', via: [] };
    return { value: true, via: results.flatMap((r) => r.via) };
  }
  if ('not' in gate) {
    const inner = evaluateNode(gate.not, facts, context).value;
    return { value: inner === 'unknown' ? 'unknown' : !inner, via: [] };
  }
  return evaluateLeaf(gate, facts, context);
}

const roleRank = (role: CommunityRole) => COMMUNITY_ROLES.length - COMMUNITY_ROLES.indexOf(role);

function evaluateLeaf(gate: LeafGate, facts: Facts, context: GateContext): NodeResult {
  switch (gate.type) {
    case 'subscription': {
      const met = context.tierId
        ? facts.subscriptions.tierIds.has(context.tierId)
        : context.communityId !== undefined && facts.subscriptions.communityIds.has(context.communityId);
      return met
        ? {
            value: true,
            via: [{ type: 'subscription', ...(context.tierId ? { tierId: context.tierId } : {}) }],
          }
        : { value: false, via: [] };
    }
    case 'erc20': {
      const sum = sumOver(facts.wallets, (w) => facts.balances.get(balanceKey(gate.chainId, gate.token, w)));
      return threshold(sum, BigInt(gate.min), (balance, wallets) => ({
        type: 'erc20',
        chainId: gate.chainId,
        token: getAddress(gate.token),
        wallets,
        balance,
        min: gate.min,
      }));
    }
    case 'erc721': {
      if (gate.tokenIds) return ownsAnyOf(gate.chainId, gate.token, gate.tokenIds, facts);
      const min = gate.min ?? '1';
      const sum = sumOver(facts.wallets, (w) => facts.balances.get(balanceKey(gate.chainId, gate.token, w)));
      return threshold(sum, BigInt(min), (balance, wallets) => ({
        type: 'erc721',
        chainId: gate.chainId,
        token: getAddress(gate.token),
        wallets,
        balance,
        min,
      }));
    }
    case 'erc1155': {
      const sum = sumOver(facts.wallets, (w) =>
        facts.balances.get(balanceKey(gate.chainId, gate.token, w, gate.tokenId)),
      );
      return threshold(sum, BigInt(gate.min), (balance, wallets) => ({
        type: 'erc1155',
        chainId: gate.chainId,
        token: getAddress(gate.token),
        tokenId: gate.tokenId,
        wallets,
        balance,
        min: gate.min,
      }));
    }
    case 'native': {
      const sum = sumOver(facts.wallets, (w) => facts.nativeBalances.get(nativeKey(gate.chainId, w)));
      return threshold(sum, BigInt(gate.min), (balance, wallets) => ({
        type: 'native',
        chainId: gate.chainId,
        wallets,
        balance,
        min: gate.min,
      }));
    }
    case 'allowlist': {
      const addresses = new Set((gate.addresses ?? []).map((a) => a.toLowerCase()));
      const wallet = facts.wallets.find((w) => addresses.has(w.toLowerCase()));
      if (wallet) return { value: true, via: [{ type: 'allowlist', address: getAddress(wallet) }] };
      const emails = new Set((gate.emails ?? []).map((e) => e.toLowerCase()));
      const email = facts.emails.find((e) => emails.has(e.toLowerCase()));
      if (email) return { value: true, via: [{ type: 'allowlist', email: email.toLowerCase() }] };
      return { value: false, via: [] };
    }
    case 'role': {
      const role = facts.role;
      return role !== null && roleRank(role) >= roleRank(gate.role)
        ? { value: true, via: [{ type: 'role', role }] }
        : { value: false, via: [] };
    }
  }
}

interface Sum {
  total: bigint;
  /** Wallets holding a non-zero amount, EIP-55. */
  holders: string[];
  unknown: boolean;
}

/** Holdings are the member's, not one wallet's: they add up across every linked wallet. */
function sumOver(wallets: readonly string[], read: (wallet: string) => bigint | undefined): Sum {
  const sum: Sum = { total: 0n, holders: [], unknown: false };
  for (const wallet of wallets) {
    const value = read(wallet);
    if (value === undefined) {
      sum.unknown = true;
      continue;
    }
    sum.total += value;
    if (value > 0n) sum.holders.push(getAddress(wallet));
  }
  return sum;
}

// Balances are never negative, so a known part that already reaches `min` proves the leaf even
// when another wallet's read failed; below `min` an unknown part could still make up the rest.
function threshold(sum: Sum, min: bigint, proof: (balance: string, wallets: string[]) => Proof): NodeResult {
  if (sum.total >= min) return { value: true, via: [proof(sum.total.toString(), sum.holders)] };
  return { value: sum.unknown ? 'unknown' : false, via: [] };
}

function ownsAnyOf(chainId: number, token: string, tokenIds: readonly string[], facts: Facts): NodeResult {
  const wallets = new Map(facts.wallets.map((w) => [w.toLowerCase(), getAddress(w)]));
  const owned: string[] = [];
  const holders = new Set<string>();
  let unknown = false;
  for (const id of tokenIds) {
    const owner = facts.ownedTokenIds.get(ownerKey(chainId, token, id));
    if (owner === undefined) {
      unknown = true;
      continue;
    }
    const wallet = wallets.get(owner.toLowerCase());
    if (wallet) {
      owned.push(id);
      holders.add(wallet);
    }
  }
  if (owned.length > 0) {
    return {
      value: true,
      via: [{ type: 'erc721', chainId, token: getAddress(token), wallets: [...holders], tokenIds: owned }],
    };
  }
  return { value: unknown && wallets.size > 0 ? 'unknown' : false, via: [] };
}
