import { describe, expect, it } from 'vitest';
import { watchedTokens } from './watched-tokens.ts';

const A = '0x00000000000000000000000000000000000000Aa';
const B = '0x00000000000000000000000000000000000000bB';
const C = '0x00000000000000000000000000000000000000cc';

describe('watchedTokens', () => {
  it('collects every ERC-20/721/1155 contract of every gate, nested or negated, per chain and community', () => {
    const watched = watchedTokens([
      {
        communityId: 'c1',
        gate: {
          any: [
            { type: 'subscription' },
            {
              all: [
                { type: 'erc20', chainId: 1, token: A, min: '1' },
                { not: { type: 'erc721', chainId: 1, token: B, min: '1' } },
              ],
            },
          ],
        },
      },
      { communityId: 'c2', gate: { type: 'erc20', chainId: 1, token: A.toLowerCase(), min: '5' } },
      { communityId: 'c2', gate: { type: 'erc1155', chainId: 10, token: C, tokenId: '1', min: '1' } },
      {
        communityId: 'c3',
        gate: {
          any: [
            { type: 'native', chainId: 1, min: '1' },
            { type: 'role', role: 'member' },
          ],
        },
      },
    ]);
    expect([...watched.keys()].sort()).toEqual([1, 10]);
    expect(watched.get(1)?.get(A.toLowerCase())).toEqual(new Set(['c1', 'c2']));
    expect(watched.get(1)?.get(B.toLowerCase())).toEqual(new Set(['c1']));
    expect(watched.get(10)?.get(C)).toEqual(new Set(['c2']));
  });
});
