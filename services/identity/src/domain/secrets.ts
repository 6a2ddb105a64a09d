import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A 256-bit opaque token (sessions, magic links), base64url. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Session tokens are stored as SHA-256: 256 bits of entropy need no key stretching. */
export function sha256(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** 6 decimal digits, uniformly distributed. */
export function newEmailCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** A SIWE nonce: 128 random bits as 32 hex characters (EIP-4361 wants ≥ 8 alphanumerics). */
export function newSiweNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Codes have only 20 bits: keyed so a leaked table cannot be brute-forced offline. */
export function hmac(secret: string, ...parts: string[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part).update('\u0000');
  return mac.digest();
}

export function equalDigests(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
