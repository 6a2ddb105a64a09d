import { describe, expect, it } from 'vitest';
import { checkAddress } from './address.ts';

describe('checkAddress', () => {
  it('accepts EIP-55 and lower-case addresses and returns the checksummed form', () => {
    const good = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
    expect(checkAddress(good)).toEqual({ ok: true, address: good });
    expect(checkAddress(good.toLowerCase())).toEqual({ ok: true, address: good });
  });

  it('refuses a wrong checksum and non-addresses', () => {
    expect(checkAddress('0x5fbDB2315678afecb367f032d93F642f64180aa3').ok).toBe(false);
    expect(checkAddress('0x1234').ok).toBe(false);
    expect(checkAddress('hello').ok).toBe(false);
  });
});
