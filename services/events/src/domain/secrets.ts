import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A 256-bit opaque token for a private calendar feed, base64url. */
export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Feed tokens are stored as SHA-256: 256 bits of entropy need no key stretching. */
export function sha256(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** An 8-character check-in code without look-alike characters (0/O, 1/I). */
export function newCheckInCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(0, CODE_ALPHABET.length)];
  return code;
}

export function normaliseCheckInCode(code: string): string {
  return code.trim().toUpperCase().replace(/[\s-]/g, '');
}
