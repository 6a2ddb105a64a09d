import type { Gate, LeafGate, Proof } from '../api/types.ts';
import { formatUnits } from './units.ts';

/** What the app knows about a token: read once with eth_call (symbol(), decimals()). */
export interface TokenInfo {
  symbol: string;
  /** undefined for NFTs (counted, not divided). */
  decimals?: number;
}

/** What the page knows about the signed-in member, to say why a gate passes or fails. */
export interface GateFacts {
  signedIn: boolean;
  wallets: string[];
  emails: string[];
  /** Totals over the member's wallets, keyed by `holdingKey`. */
  balances: Map<string, bigint>;
  tokens: Map<string, TokenInfo>;
  /** The server's proofs for the tier the member holds (`membership.via`). */
  proofs: Proof[];
  /** Tier the proofs belong to. */
  tierId?: string | undefined;
}

export interface Explanation {
  /** true: met; false: not met; null: cannot tell from here. */
  met: boolean | null;
  text: string;
  children?: Explanation[];
}

type Holding = Extract<LeafGate, { chainId: number }>;

export function tokenKey(chainId: number, token: string): string {
  return `${chainId}:${token.toLowerCase()}`;
}

/** The balance a chain gate compares with its `min`. */
export function holdingKey(gate: Holding): string {
  if (gate.type === 'native') return `${gate.chainId}:native`;
  if (gate.type === 'erc1155') return `${tokenKey(gate.chainId, gate.token)}:${gate.tokenId}`;
  return tokenKey(gate.chainId, gate.token);
}

/** Every chain holding a gate mentions, once each (what the page must read to explain it). */
export function holdingsOf(gate: Gate, into = new Map<string, Holding>()): Holding[] {
  if ('any' in gate) for (const g of gate.any) holdingsOf(g, into);
  else if ('all' in gate) for (const g of gate.all) holdingsOf(g, into);
  else if ('not' in gate) holdingsOf(gate.not, into);
  else if ('chainId' in gate && !(gate.type === 'erc721' && gate.tokenIds)) into.set(holdingKey(gate), gate);
  return [...into.values()];
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

function proofFor(gate: LeafGate, facts: GateFacts, tierId: string): Proof | undefined {
  if (facts.tierId !== tierId) return undefined;
  return facts.proofs.find((p) => {
    if (p.type !== gate.type) return false;
    if ('token' in p && 'token' in gate) return p.token.toLowerCase() === gate.token.toLowerCase();
    if (p.type === 'subscription') return true;
    if (p.type === 'role' && gate.type === 'role') return p.role === gate.role;
    return p.type === 'native' || p.type === 'allowlist';
  });
}

function amount(value: bigint | string, gate: Holding, facts: GateFacts): string {
  if (gate.type === 'native') return `${formatUnits(value, 18)} ETH`;
  const info = facts.tokens.get(tokenKey(gate.chainId, gate.token));
  const symbol = info?.symbol || shortAddress(gate.token);
  if (gate.type === 'erc721')
    return `${value.toString()} ${symbol} NFT${value.toString() === '1' ? '' : 's'}`;
  if (gate.type === 'erc1155') return `${value.toString()} of ${symbol} #${gate.tokenId}`;
  if (info?.decimals === undefined) return `${value.toString()} base units of ${symbol}`;
  return `${formatUnits(value, info.decimals)} ${symbol}`;
}

const ROLE_ORDER = ['owner', 'admin', 'moderator', 'member'];

function explainLeaf(gate: LeafGate, facts: GateFacts, tierId: string): Explanation {
  const proof = proofFor(gate, facts, tierId);
  switch (gate.type) {
    case 'subscription':
      return proof
        ? { met: true, text: 'You pay for this tier (active subscription).' }
        : { met: facts.signedIn ? false : null, text: 'Needs a paid subscription to this tier.' };
    case 'allowlist': {
      const addresses = (gate.addresses ?? []).map((a) => a.toLowerCase());
      const emails = (gate.emails ?? []).map((e) => e.toLowerCase());
      const listed =
        Boolean(proof) ||
        facts.wallets.some((w) => addresses.includes(w.toLowerCase())) ||
        facts.emails.some((e) => emails.includes(e.toLowerCase()));
      if (!facts.signedIn) return { met: null, text: 'Open to an allowlist of wallets and emails.' };
      return listed
        ? { met: true, text: 'One of your wallets or emails is on the allowlist.' }
        : { met: false, text: 'None of your wallets or emails is on the allowlist.' };
    }
    case 'role': {
      const text = `Needs the ${gate.role} role${gate.role === 'owner' ? '' : ' (or higher)'} in this community.`;
      if (proof) return { met: true, text: `You have the ${gate.role} role.` };
      return { met: null, text };
    }
    default: {
      if (gate.type === 'erc721' && gate.tokenIds) {
        const ids = gate.tokenIds.map((id) => `#${id}`).join(', ');
        const symbol =
          facts.tokens.get(tokenKey(gate.chainId, gate.token))?.symbol ?? shortAddress(gate.token);
        return proof
          ? { met: true, text: `You own one of ${symbol} ${ids}.` }
          : { met: null, text: `Needs one of ${symbol} ${ids}.` };
      }
      const min = BigInt(gate.min ?? '1');
      const needs = amount(min, gate, facts);
      const proven =
        proof && 'balance' in proof && proof.balance !== undefined ? BigInt(proof.balance) : undefined;
      const balance = proven ?? facts.balances.get(holdingKey(gate));
      if (!facts.signedIn) return { met: null, text: `Needs ${needs}.` };
      if (facts.wallets.length === 0) {
        return { met: false, text: `This tier needs ${needs}; link a wallet that holds it.` };
      }
      if (balance === undefined) {
        return { met: null, text: `This tier needs ${needs}. Connect your wallet to see what you hold.` };
      }
      return {
        met: balance >= min,
        text: `You hold ${amount(balance, gate, facts)}, this tier needs ${needs}.`,
      };
    }
  }
}

/** Why a gate passes or fails for this member, as a tree of sentences (one per condition). */
export function explainGate(gate: Gate, facts: GateFacts, tierId: string): Explanation {
  if ('any' in gate || 'all' in gate) {
    const any = 'any' in gate;
    const children = (any ? gate.any : gate.all).map((g) => explainGate(g, facts, tierId));
    const met = any
      ? children.some((c) => c.met === true)
        ? true
        : children.every((c) => c.met === false)
          ? false
          : null
      : children.every((c) => c.met === true)
        ? true
        : children.some((c) => c.met === false)
          ? false
          : null;
    if (children.length === 1 && children[0]) return children[0];
    return { met, text: any ? 'Any one of:' : 'All of:', children };
  }
  if ('not' in gate) {
    const inner = explainGate(gate.not, facts, tierId);
    return { met: inner.met === null ? null : !inner.met, text: 'Must NOT meet:', children: [inner] };
  }
  return explainLeaf(gate, facts, tierId);
}

export { ROLE_ORDER };
