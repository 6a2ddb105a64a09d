import type { Gate } from '@coterie/contracts';
import { describe, expect, it } from 'vitest';
import { requiredReads } from './required-reads.ts';

const CHAIN = 31337;
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const NFT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const BADGE = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('requiredReads', () => {
  it('lists every read once across gates and wallets, including under not', () => {
    const gates: Gate[] = [
      { type: 'erc20', chainId: CHAIN, token: TOKEN, min: '1' },
      {
        any: [
          { type: 'erc20', chainId: CHAIN, token: TOKEN.toLowerCase(), min: '5' },
          { type: 'subscription' },
        ],
      },
      { not: { type: 'erc1155', chainId: CHAIN, token: BADGE, tokenId: '3', min: '1' } },
      { type: 'erc721', chainId: CHAIN, token: NFT, tokenIds: ['1', '2'] },
      {
        all: [
          { type: 'native', chainId: CHAIN, min: '1' },
          { type: 'allowlist', emails: ['a@b.co'] },
        ],
      },
    ];
    const reads = requiredReads(gates, [A, B.toLowerCase(), A.toLowerCase()]);
    const kinds = reads.map((r) => r.kind).sort();
    expect(kinds).toEqual([
      'balance',
      'balance',
      'erc1155Balance',
      'erc1155Balance',
      'native',
      'native',
      'ownerOf',
      'ownerOf',
    ]);
    expect(new Set(reads.map((r) => r.key)).size).toBe(reads.length);
  });

  it('needs no reads without wallets', () => {
    const gate: Gate = {
      any: [
        { type: 'erc721', chainId: CHAIN, token: NFT, tokenIds: ['1'] },
        { type: 'erc20', chainId: CHAIN, token: TOKEN, min: '1' },
      ],
    };
    expect(requiredReads([gate], [])).toEqual([]);
  });
});
