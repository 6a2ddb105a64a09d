import { type Gate, gateSchema } from '@coterie/contracts';
import { describe, expect, it } from 'vitest';
import { gateChains } from './gate-chains.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const leaf = { type: 'erc20', chainId: 31337, token: TOKEN, min: '1' };

function nest(depth: number): unknown {
  let gate: unknown = leaf;
  for (let i = 1; i < depth; i++) gate = { not: gate };
  return gate;
}

describe('gateSchema (the contract) and gateChains', () => {
  it('accepts every leaf of API.md', () => {
    const gate = {
      any: [
        { type: 'subscription' },
        leaf,
        { type: 'erc721', chainId: 31337, token: TOKEN, min: '1' },
        { type: 'erc721', chainId: 31337, token: TOKEN, tokenIds: ['7'] },
        { type: 'erc1155', chainId: 1, token: TOKEN, tokenId: '1', min: '1' },
        { type: 'native', chainId: 10, min: '1000' },
        { type: 'allowlist', addresses: [TOKEN.toLowerCase()], emails: ['VIP@Example.com'] },
        { type: 'role', role: 'moderator' },
      ],
    };
    const parsed = gateSchema.parse(gate) as { any: Gate[] };
    expect(parsed.any[6]).toEqual({
      type: 'allowlist',
      addresses: [TOKEN.toLowerCase()],
      emails: ['vip@example.com'],
    });
    expect(gateChains(parsed)).toEqual([31337, 1, 10]);
  });

  it('depth ≤ 8 and ≤ 64 leaves', () => {
    expect(gateSchema.safeParse(nest(8)).success).toBe(true);
    expect(gateSchema.safeParse(nest(9)).success).toBe(false);
    expect(gateSchema.safeParse(nest(100_000)).success).toBe(false);
    expect(gateSchema.safeParse({ any: Array(64).fill(leaf) }).success).toBe(true);
    expect(
      gateSchema.safeParse({ any: [{ all: Array(40).fill(leaf) }, { all: Array(25).fill(leaf) }] }).success,
    ).toBe(false);
  });

  it.each([
    ['a float amount', { ...leaf, min: '1.5' }],
    ['a negative amount', { ...leaf, min: '-1' }],
    ['a number, not a string', { ...leaf, min: 1 }],
    ['79 digits', { ...leaf, min: '1'.padEnd(79, '0') }],
    ['above uint256', { ...leaf, min: (1n << 256n).toString() }],
    ['a bad address', { ...leaf, token: '0x1234' }],
    ['an unknown leaf', { type: 'karma', min: '1' }],
    ['an extra key', { ...leaf, max: '5' }],
    [
      'erc721 with both min and tokenIds',
      { type: 'erc721', chainId: 1, token: TOKEN, min: '1', tokenIds: ['1'] },
    ],
    ['an empty allowlist', { type: 'allowlist' }],
    ['an empty any', { any: [] }],
    ['an unknown role', { type: 'role', role: 'king' }],
  ])('refuses %s', (_label, gate) => {
    expect(gateSchema.safeParse(gate).success).toBe(false);
  });

  it('accepts 78 digits within uint256', () => {
    expect(gateSchema.safeParse({ ...leaf, min: ((1n << 256n) - 1n).toString() }).success).toBe(true);
  });
});
