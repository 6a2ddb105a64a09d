import { describe, expect, it } from 'vitest';
import { compileDraft, newGroup, newLeaf } from './gate-draft.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('compileDraft', () => {
  it('turns an erc20 condition with a decimal amount into base units', () => {
    const leaf = { ...newLeaf('erc20', '31337'), token: TOKEN.toLowerCase(), amount: '1.5', decimals: '18' };
    expect(compileDraft(newGroup('any', [leaf]))).toEqual({
      gate: { type: 'erc20', chainId: 31337, token: TOKEN, min: '1500000000000000000' },
      errors: {},
    });
  });

  it('builds any/all trees', () => {
    const sub = newLeaf('subscription', '31337');
    const nft = { ...newLeaf('erc721', '31337'), token: TOKEN, amount: '1' };
    const allow = { ...newLeaf('allowlist', '31337'), emails: 'vip@example.com' };
    const { gate } = compileDraft(newGroup('any', [sub, newGroup('all', [nft, allow])]));
    expect(gate).toEqual({
      any: [
        { type: 'subscription' },
        {
          all: [
            { type: 'erc721', chainId: 31337, token: TOKEN, min: '1' },
            { type: 'allowlist', emails: ['vip@example.com'] },
          ],
        },
      ],
    });
  });

  it('reports each bad field', () => {
    const bad = {
      ...newLeaf('erc20', '31337'),
      token: '0x5fbDB2315678afecb367f032d93F642f64180aa3',
      amount: '0.1234567',
      decimals: '6',
    };
    const empty = newGroup('all', []);
    const { gate, errors } = compileDraft(newGroup('any', [bad, empty]));
    expect(gate).toBeUndefined();
    expect(Object.keys(errors[bad.id] ?? {}).sort()).toEqual(['amount', 'token']);
    expect(errors[empty.id]).toEqual({ children: 'Add at least one condition.' });
  });
});
