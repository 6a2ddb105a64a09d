import { describe, expect, it } from 'vitest';
import type { Gate } from '../api/types.ts';
import { explainGate, type GateFacts, holdingKey, holdingsOf, tokenKey } from './gates.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const erc20: Gate = { type: 'erc20', chainId: 31337, token: TOKEN, min: '1000000000000000000' };

function facts(overrides: Partial<GateFacts> = {}): GateFacts {
  return {
    signedIn: true,
    wallets: ['0x71bE63f3384f5fb98995898A86B02Fb2426c5788'],
    emails: [],
    balances: new Map(),
    tokens: new Map([[tokenKey(31337, TOKEN), { symbol: 'CTR', decimals: 18 }]]),
    proofs: [],
    ...overrides,
  };
}

describe('explainGate', () => {
  it('says what you hold and what the tier needs, with decimals', () => {
    const f = facts({ balances: new Map([[tokenKey(31337, TOKEN), 500000000000000000n]]) });
    expect(explainGate(erc20, f, 't1')).toEqual({
      met: false,
      text: 'You hold 0.5 CTR, this tier needs 1 CTR.',
    });
    f.balances.set(tokenKey(31337, TOKEN), 2000000000000000000n);
    expect(explainGate(erc20, f, 't1').met).toBe(true);
  });

  it('combines any/all', () => {
    const gate: Gate = { any: [erc20, { type: 'allowlist', emails: ['a@example.com'] }] };
    const yes = explainGate(gate, facts({ emails: ['A@example.com'] }), 't1');
    expect(yes.met).toBe(true);
    expect(yes.children).toHaveLength(2);
    const unknown = explainGate({ all: [erc20, { type: 'role', role: 'moderator' }] }, facts(), 't1');
    expect(unknown.met).toBe(null);
  });

  it('lists each holding once', () => {
    const gate: Gate = { any: [erc20, { all: [erc20, { type: 'native', chainId: 31337, min: '1' }] }] };
    expect(holdingsOf(gate).map(holdingKey)).toEqual([tokenKey(31337, TOKEN), '31337:native']);
  });
});
