import { getAddress } from 'viem';

export type AddressCheck = { ok: true; address: `0x${string}` } | { ok: false; error: string };

/**
 * An address a person typed: 0x + 40 hex digits, either all lower (or upper) case or with a
 * correct EIP-55 checksum, so a typo in a mixed-case address is caught instead of sent.
 */
export function checkAddress(input: string): AddressCheck {
  const text = input.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    return { ok: false, error: 'An address is 0x followed by 40 hexadecimal characters.' };
  }
  const body = text.slice(2);
  const checksummed = getAddress(text.toLowerCase());
  if (body !== body.toLowerCase() && body !== body.toUpperCase() && checksummed !== text) {
    return { ok: false, error: 'The checksum (upper/lower case letters) is wrong: check for a typo.' };
  }
  return { ok: true, address: checksummed };
}

export function toChecksumAddress(address: string): `0x${string}` {
  return getAddress(address.toLowerCase());
}
