import { describe, expect, it } from 'vitest';
import { checksumGate } from './checksum-gate.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const ALICE = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('checksumGate', () => {
  it('checksums token and allowlist addresses given in any case, at any depth', () => {
    const gate = checksumGate({
      any: [
        { type: 'erc20', chainId: 31337, token: TOKEN.toLowerCase(), min: '1' },
        {
          all: [
            {
              not: {
                type: 'erc721',
                chainId: 31337,
                token: TOKEN.toUpperCase().replace('0X', '0x'),
                min: '1',
              },
            },
            { type: 'erc1155', chainId: 1, token: TOKEN.toLowerCase(), tokenId: '1', min: '1' },
          ],
        },
        // A wrong mix of cases is still the same address.
        {
          type: 'allowlist',
          addresses: [ALICE.toLowerCase(), ALICE.replace('f39F', 'F39f')],
          emails: ['a@b.co'],
        },
        { type: 'native', chainId: 31337, min: '5' },
        { type: 'role', role: 'moderator' },
      ],
    });
    expect(gate).toEqual({
      any: [
        { type: 'erc20', chainId: 31337, token: TOKEN, min: '1' },
        {
          all: [
            { not: { type: 'erc721', chainId: 31337, token: TOKEN, min: '1' } },
            { type: 'erc1155', chainId: 1, token: TOKEN, tokenId: '1', min: '1' },
          ],
        },
        { type: 'allowlist', addresses: [ALICE, ALICE], emails: ['a@b.co'] },
        { type: 'native', chainId: 31337, min: '5' },
        { type: 'role', role: 'moderator' },
      ],
    });
  });
});
