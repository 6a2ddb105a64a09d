import { describe, expect, it } from 'vitest';
import { type CheckSiweFieldsParameters, checkSiweFields } from './check-siwe-fields.ts';
import { parseSiweMessage } from './parse-siwe-message.ts';
import { SiweError, type SiweErrorCode } from './siwe-error.ts';
import type { SiweMessage } from './siwe-message.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const SKEW_MS = 30_000;

const params: CheckSiweFieldsParameters = {
  expectedDomain: 'localhost:3000',
  expectedOrigin: 'http://localhost:3000',
  allowedChainIds: [31337, 1],
  now: NOW,
  clockSkewMs: SKEW_MS,
};

function message(overrides: Partial<SiweMessage> = {}): SiweMessage {
  return {
    domain: 'localhost:3000',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    statement: 'Sign in to Coterie',
    uri: 'http://localhost:3000/login',
    version: '1',
    chainId: 31337,
    nonce: 'k3f9a0b1c2d3',
    issuedAt: '2026-03-01T11:59:00.000Z',
    expirationTime: '2026-03-01T12:10:00.000Z',
    ...overrides,
  };
}

function at(offsetMs: number): string {
  return new Date(NOW.getTime() + offsetMs).toISOString();
}

function expectRefused(m: SiweMessage, code: SiweErrorCode, status: number, p = params): void {
  let thrown: unknown;
  try {
    checkSiweFields(m, p);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SiweError);
  expect(thrown).toMatchObject({ code, status });
}

describe('checkSiweFields', () => {
  it('accepts a message meant for us, now', () => {
    expect(() => checkSiweFields(message(), params)).not.toThrow();
  });

  it('accepts a message straight from the parser', () => {
    const text = [
      'http://localhost:3000 wants you to sign in with your Ethereum account:',
      '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      '',
      '',
      'URI: http://localhost:3000',
      'Version: 1',
      'Chain ID: 31337',
      'Nonce: k3f9a0b1c2d3',
      'Issued At: 2026-03-01T11:59:00Z',
    ].join('\n');
    expect(() => checkSiweFields(parseSiweMessage(text), params)).not.toThrow();
  });

  it('refuses another domain, including a lookalike port or subdomain', () => {
    for (const domain of ['evil.example', 'localhost:3001', 'app.localhost:3000', 'localhost']) {
      expectRefused(message({ domain }), 'siwe_domain_mismatch', 401);
    }
  });

  it("refuses a scheme that is not the origin's", () => {
    expectRefused(message({ scheme: 'https' }), 'siwe_domain_mismatch', 401);
    expect(() => checkSiweFields(message({ scheme: 'http' }), params)).not.toThrow();
  });

  it('refuses a uri on another origin', () => {
    for (const uri of [
      'https://localhost:3000/login',
      'http://localhost:3001/login',
      'http://evil.example/login',
      'http://localhost:3000.evil.example/',
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    ]) {
      expectRefused(message({ uri }), 'siwe_uri_mismatch', 401);
    }
  });

  it('refuses a chain we do not serve', () => {
    expectRefused(message({ chainId: 137 }), 'siwe_chain_unsupported', 401);
  });

  it('refuses an expired message, and one exactly at its expiration', () => {
    expectRefused(message({ expirationTime: at(-1) }), 'siwe_expired', 401);
    expectRefused(message({ expirationTime: at(0) }), 'siwe_expired', 401);
    expect(() => checkSiweFields(message({ expirationTime: at(1) }), params)).not.toThrow();
  });

  it('does not stretch the expiration by the clock skew', () => {
    expectRefused(message({ expirationTime: at(-SKEW_MS / 2) }), 'siwe_expired', 401);
  });

  it('refuses a message whose notBefore is beyond the skew', () => {
    expectRefused(message({ notBefore: at(SKEW_MS + 1) }), 'siwe_not_yet_valid', 401);
  });

  it('refuses a message issued in the future beyond the skew', () => {
    expectRefused(message({ issuedAt: at(SKEW_MS + 1) }), 'siwe_not_yet_valid', 401);
  });

  it('accepts issuedAt and notBefore ahead of us within the skew', () => {
    expect(() =>
      checkSiweFields(message({ issuedAt: at(SKEW_MS), notBefore: at(SKEW_MS) }), params),
    ).not.toThrow();
    expect(() =>
      checkSiweFields(message({ issuedAt: at(1_000), notBefore: at(1_000) }), params),
    ).not.toThrow();
  });

  it('compares instants, not strings, across time zones', () => {
    // 13:00+01:00 is 12:00Z: exactly now, so expired.
    expectRefused(message({ expirationTime: '2026-03-01T13:00:00+01:00' }), 'siwe_expired', 401);
  });

  it('refuses a lowercase address (the parser would too) as malformed', () => {
    expectRefused(message({ address: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2' }), 'siwe_malformed', 400);
  });

  it('refuses an unparseable timestamp as malformed', () => {
    expectRefused(message({ expirationTime: 'tomorrow' }), 'siwe_malformed', 400);
  });
});
