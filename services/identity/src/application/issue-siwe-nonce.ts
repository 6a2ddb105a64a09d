import { insertNonce } from '../adapters/postgres/nonces-repository.ts';
import { newSiweNonce } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';

/** A server-issued, single-use nonce (128 bits) for the next SIWE message. */
export async function issueSiweNonce(deps: IdentityDeps): Promise<{ nonce: string; expiresAt: string }> {
  const nonce = newSiweNonce();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.config.SIWE_NONCE_TTL_MS);
  await insertNonce(deps.pool, nonce, expiresAt);
  return { nonce, expiresAt: expiresAt.toISOString() };
}
