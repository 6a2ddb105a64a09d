import {
  type Address,
  createPublicClient,
  custom,
  type Hex,
  HttpRequestError,
  isAddressEqual,
  isHex,
  type PublicClient,
  recoverMessageAddress,
  SocketClosedError,
  size,
  TimeoutError,
  WebSocketRequestError,
} from 'viem';
import { verifyMessage } from 'viem/actions';
import { SiweError } from './siwe-error.ts';

export type VerifySiweSignatureParameters = {
  /** The EIP-4361 text exactly as signed (EIP-191 personal_sign). */
  message: string;
  /** The message's `address`: an EOA or a contract wallet (deployed, or counterfactual via ERC-6492). */
  address: Address;
  signature: Hex;
};

export type VerifySiweSignatureOptions = {
  /** Upper bound on the whole verification, RPC round trips included. */
  timeoutMs: number;
};

/** EIP-2098 compact signatures are 64 bytes; we only take 65-byte EOA signatures. */
const COMPACT_SIGNATURE_BYTES = 64;

/**
 * Verifies a SIWE signature with viem's `verifyMessage` (EOA via ecrecover, ERC-1271, ERC-6492).
 * `client` must be the public client of the message's `chainId`: an ERC-1271 wallet is only
 * meaningful on its own chain, so the caller picks it from the (already checked) chain id.
 *
 * Outcomes, kept apart on purpose:
 * - resolves: the signature is valid;
 * - `siwe_signature_invalid` (401): the chain answered and the signature is not valid for the
 *   address, or it is not one we accept (e.g. a 64-byte EIP-2098 compact signature);
 * - `siwe_verification_unavailable` (503): the RPC failed or `timeoutMs` passed before an answer.
 *   Still a refusal (fail closed), but one worth retrying and alerting on.
 *
 * @throws {SiweError}
 */
export async function verifySiweSignature(
  client: PublicClient,
  { message, address, signature }: VerifySiweSignatureParameters,
  { timeoutMs }: VerifySiweSignatureOptions,
): Promise<void> {
  if (!isHex(signature, { strict: true }) || size(signature) === 0) {
    throw new SiweError('siwe_signature_invalid', 401, 'signature must be a non-empty hex string');
  }
  // Refused up front rather than left to whatever the verifier contract or viem's ecrecover
  // fallback make of 64 bytes: one canonical encoding per EOA signature, so a signature cannot
  // be re-spelled to dodge duplicate detection.
  if (size(signature) === COMPACT_SIGNATURE_BYTES) {
    throw new SiweError('siwe_signature_invalid', 401, 'compact (EIP-2098) signatures are not accepted');
  }

  // EOAs first, locally: a matching ecrecover settles it without a chain round trip (no private
  // key exists for a contract address, so this cannot accept a wallet's forged signature).
  if (size(signature) === 65) {
    const recovered = await recoverMessageAddress({ message, signature }).catch(() => undefined);
    if (recovered && isAddressEqual(recovered, address)) return;
  }

  // viem folds RPC failures into `false` (its `call` wraps them as execution errors), which would
  // make "node down" look like "bad signature". Watching the transport tells the two apart.
  const transportFailures: unknown[] = [];
  const observed = observeTransport(client, transportFailures);

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let outcome: boolean | 'timeout';
  try {
    outcome = await Promise.race([verifyMessage(observed, { address, message, signature }), timeout]);
  } catch (error) {
    throw unavailable('signature verification failed', error);
  } finally {
    clearTimeout(timer);
  }

  if (outcome === true) return;
  if (outcome === 'timeout') {
    throw unavailable(`signature verification timed out after ${timeoutMs} ms`, transportFailures[0]);
  }
  if (transportFailures.length > 0) {
    throw unavailable('the chain RPC failed during signature verification', transportFailures[0]);
  }
  throw new SiweError('siwe_signature_invalid', 401, 'signature does not match the address');
}

/** A client on the same chain and transport that records transport-level failures. */
function observeTransport(client: PublicClient, failures: unknown[]): PublicClient {
  // Untyped on purpose: this only forwards whatever viem's actions send.
  const forward = client.request as unknown as (args: {
    method: string;
    params?: unknown;
  }) => Promise<unknown>;
  const request = async (args: { method: string; params?: unknown }) => {
    try {
      return await forward(args);
    } catch (error) {
      if (isTransportFailure(error)) failures.push(error);
      throw error;
    }
  };
  return createPublicClient({
    ...(client.chain ? { chain: client.chain } : {}),
    // The wrapped client's transport already retries as configured; do not retry twice.
    transport: custom({ request }, { retryCount: 0 }),
    cacheTime: 0,
  });
}

/**
 * Failures of the node or the way to it, as opposed to JSON-RPC answers such as a revert
 * (which, for a wallet's `isValidSignature`, legitimately means "invalid").
 */
function isTransportFailure(error: unknown): boolean {
  return (
    error instanceof HttpRequestError ||
    error instanceof TimeoutError ||
    error instanceof WebSocketRequestError ||
    error instanceof SocketClosedError
  );
}

function unavailable(message: string, cause: unknown): SiweError<'siwe_verification_unavailable'> {
  return new SiweError('siwe_verification_unavailable', 503, message, { cause });
}
