import type { CommunityRole, Gate, LeafGate } from '../api/types.ts';
import { checkAddress } from './address.ts';
import { parseUnits } from './units.ts';

/** What the gate builder edits: form strings, turned into gate JSON (API.md) by `compileDraft`. */
export type LeafType = LeafGate['type'];

export interface LeafDraft {
  id: string;
  kind: 'leaf';
  type: LeafType;
  chainId: string;
  token: string;
  /** A decimal amount as typed ("1.5"); converted with `decimals` into base units. */
  amount: string;
  decimals: string;
  nftMode: 'min' | 'ids';
  tokenIds: string;
  tokenId: string;
  addresses: string;
  emails: string;
  role: CommunityRole;
}

export interface GroupDraft {
  id: string;
  kind: 'group';
  op: 'any' | 'all';
  children: Draft[];
}

export type Draft = LeafDraft | GroupDraft;

/** Errors by draft id, then by field name. */
export type DraftErrors = Record<string, Record<string, string>>;

let counter = 0;
export function newId(): string {
  counter += 1;
  return `g${counter}`;
}

export function newLeaf(type: LeafType, chainId: string): LeafDraft {
  return {
    id: newId(),
    kind: 'leaf',
    type,
    chainId,
    token: '',
    amount: type === 'erc721' || type === 'erc1155' ? '1' : '',
    decimals: '18',
    nftMode: 'min',
    tokenIds: '',
    tokenId: '',
    addresses: '',
    emails: '',
    role: 'moderator',
  };
}

export function newGroup(op: 'any' | 'all' = 'any', children: Draft[] = []): GroupDraft {
  return { id: newId(), kind: 'group', op, children };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UINT = /^(0|[1-9][0-9]{0,77})$/;

function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function compileLeaf(d: LeafDraft, errors: DraftErrors): LeafGate | undefined {
  const fail: Record<string, string> = {};
  const chainId = Number(d.chainId);
  const needsChain = d.type === 'erc20' || d.type === 'erc721' || d.type === 'erc1155' || d.type === 'native';
  if (needsChain && !(Number.isInteger(chainId) && chainId > 0)) fail.chainId = 'Choose a network.';
  const token = needsChain && d.type !== 'native' ? checkAddress(d.token) : undefined;
  if (token && !token.ok) fail.token = token.error;
  const positive = (value: string, decimals: number, field = 'amount'): string | undefined => {
    const parsed = parseUnits(value, decimals);
    if (!parsed.ok) {
      fail[field] = parsed.error;
      return undefined;
    }
    if (parsed.value === '0') {
      fail[field] = 'Must be more than 0.';
      return undefined;
    }
    return parsed.value;
  };
  let gate: LeafGate | undefined;
  switch (d.type) {
    case 'subscription':
      gate = { type: 'subscription' };
      break;
    case 'role':
      gate = { type: 'role', role: d.role };
      break;
    case 'native': {
      const min = positive(d.amount, 18);
      if (min) gate = { type: 'native', chainId, min };
      break;
    }
    case 'erc20': {
      const decimals = Number(d.decimals);
      if (!/^\d{1,2}$/.test(d.decimals.trim()) || decimals > 77) {
        fail.decimals = 'The token’s decimals: a whole number (18 for most tokens).';
        break;
      }
      const min = positive(d.amount, decimals);
      if (min && token?.ok) gate = { type: 'erc20', chainId, token: token.address, min };
      break;
    }
    case 'erc721': {
      if (d.nftMode === 'ids') {
        const ids = splitList(d.tokenIds);
        const bad = ids.find((id) => !UINT.test(id));
        if (ids.length === 0) fail.tokenIds = 'List at least one token id.';
        else if (bad !== undefined) fail.tokenIds = `"${bad}" is not a token id (a whole number).`;
        else if (ids.length > 100) fail.tokenIds = 'At most 100 token ids.';
        else if (token?.ok) gate = { type: 'erc721', chainId, token: token.address, tokenIds: ids };
      } else {
        const min = positive(d.amount, 0);
        if (min && token?.ok) gate = { type: 'erc721', chainId, token: token.address, min };
      }
      break;
    }
    case 'erc1155': {
      if (!UINT.test(d.tokenId.trim())) fail.tokenId = 'The token id: a whole number.';
      const min = positive(d.amount, 0);
      if (min && token?.ok && !fail.tokenId) {
        gate = { type: 'erc1155', chainId, token: token.address, tokenId: d.tokenId.trim(), min };
      }
      break;
    }
    case 'allowlist': {
      const addresses: `0x${string}`[] = [];
      for (const text of splitList(d.addresses)) {
        const check = checkAddress(text);
        if (!check.ok) {
          fail.addresses = `${text}: ${check.error}`;
          break;
        }
        addresses.push(check.address);
      }
      const emails = splitList(d.emails);
      const badEmail = emails.find((e) => !EMAIL.test(e));
      if (badEmail) fail.emails = `"${badEmail}" is not an email address.`;
      if (addresses.length + emails.length === 0 && !fail.addresses) {
        fail.addresses = 'List at least one wallet address or email.';
      }
      if (!fail.addresses && !fail.emails) {
        gate = {
          type: 'allowlist',
          ...(addresses.length ? { addresses } : {}),
          ...(emails.length ? { emails: emails.map((e) => e.toLowerCase()) } : {}),
        };
      }
      break;
    }
  }
  if (Object.keys(fail).length > 0) {
    errors[d.id] = fail;
    return undefined;
  }
  return gate;
}

function compileNode(d: Draft, errors: DraftErrors): Gate | undefined {
  if (d.kind === 'leaf') return compileLeaf(d, errors);
  if (d.children.length === 0) {
    errors[d.id] = { children: 'Add at least one condition.' };
    return undefined;
  }
  const children = d.children.map((c) => compileNode(c, errors));
  if (children.some((c) => c === undefined)) return undefined;
  const gates = children as Gate[];
  if (gates.length === 1 && gates[0]) return gates[0];
  return d.op === 'any' ? { any: gates } : { all: gates };
}

/** The gate JSON for a draft, or the errors to show beside each field. */
export function compileDraft(draft: Draft): { gate: Gate | undefined; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const gate = compileNode(draft, errors);
  return { gate: Object.keys(errors).length === 0 ? gate : undefined, errors };
}

/** Replaces the node `id` in a tree (immutably). */
export function updateDraft(root: Draft, id: string, change: (d: Draft) => Draft | null): Draft {
  if (root.id === id) return change(root) ?? root;
  if (root.kind === 'leaf') return root;
  const children: Draft[] = [];
  for (const child of root.children) {
    if (child.id === id) {
      const next = change(child);
      if (next) children.push(next);
    } else children.push(updateDraft(child, id, change));
  }
  return { ...root, children };
}
