import { describe, expect, it } from 'vitest';
import { buildSiweMessage, utf8ToHex } from './siwe.ts';

describe('buildSiweMessage', () => {
  it('lays the message out as EIP-4361 says', () => {
    const text = buildSiweMessage({
      domain: 'localhost:3000',
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      statement: 'Sign in to Coterie.',
      uri: 'http://localhost:3000',
      chainId: 31337,
      nonce: 'abc12345',
      issuedAt: new Date('2026-01-01T00:00:00.000Z'),
      expirationTime: new Date('2026-01-01T00:10:00.000Z'),
    });
    expect(text).toBe(
      [
        'localhost:3000 wants you to sign in with your Ethereum account:',
        '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
        '',
        'Sign in to Coterie.',
        '',
        'URI: http://localhost:3000',
        'Version: 1',
        'Chain ID: 31337',
        'Nonce: abc12345',
        'Issued At: 2026-01-01T00:00:00.000Z',
        'Expiration Time: 2026-01-01T00:10:00.000Z',
      ].join('\n'),
    );
  });

  it('hex-encodes UTF-8 for personal_sign', () => {
    expect(utf8ToHex('hé')).toBe('0x68c3a9');
  });
});
