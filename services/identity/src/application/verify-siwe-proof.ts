import type { Address, Hex } from 'viem';
import { isNonceUsable } from '../adapters/postgres/nonces-repository.ts';
import {
  checkSiweFields,
  parseSiweMessage,
  SiweError,
  type SiweMessage,
  verifySiweSignature,
} from '../domain/siwe/index.ts';
import type { IdentityDeps } from '../ports.ts';

/**
 * Everything short of consuming the nonce: grammar and limits, our own domain/uri/chain/time
 * checks, a nonce we issued and nobody used, then the signature (EOA, ERC-1271, ERC-6492) on the
 * message's own chain. The nonce is consumed by the caller only after all of this passed, so a
 * bad request cannot burn a good nonce.
 */
export async function verifySiweProof(
  deps: IdentityDeps,
  proof: { message: string; signature: string },
): Promise<SiweMessage> {
  const message = parseSiweMessage(proof.message);
  const now = deps.clock.now();
  checkSiweFields(message, {
    expectedDomain: deps.config.APP_DOMAIN,
    expectedOrigin: new URL(deps.config.APP_ORIGIN).origin,
    allowedChainIds: deps.config.CHAINS.map((c) => c.chainId),
    now,
    clockSkewMs: deps.config.SIWE_CLOCK_SKEW_MS,
  });
  if (!(await isNonceUsable(deps.pool, message.nonce, now))) {
    throw new SiweError(
      'siwe_nonce_invalid',
      401,
      'The nonce was not issued by us, has expired or was already used.',
    );
  }
  const client = deps.chainClient(message.chainId);
  if (!client)
    throw new SiweError('siwe_chain_unsupported', 401, `Chain ${message.chainId} is not supported.`);
  await verifySiweSignature(
    client,
    { message: proof.message, address: message.address as Address, signature: proof.signature as Hex },
    { timeoutMs: deps.config.SIWE_RPC_TIMEOUT_MS },
  );
  return message;
}
