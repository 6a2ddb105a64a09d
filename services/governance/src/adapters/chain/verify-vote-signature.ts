import type { VoteTypedData } from '@coterie/contracts';
import {
  type Address,
  createPublicClient,
  custom,
  type Hex,
  HttpRequestError,
  isHex,
  type PublicClient,
  SocketClosedError,
  size,
  TimeoutError,
  WebSocketRequestError,
} from 'viem';
import { verifyTypedData } from 'viem/actions';

export type VerifyVoteSignatureParameters = {
  address: Address;
  typedData: VoteTypedData;
  signature: Hex;
};

/** The chain could not answer in time, or failed: a refusal worth retrying, never an acceptance. */
export class VerificationUnavailableError extends Error {}

/** EIP-2098 compact signatures: refused, so a signature has one spelling (duplicates are found by hash). */
const COMPACT_SIGNATURE_BYTES = 64;

/**
 * Verifies a vote's EIP-712 signature with viem: ecrecover first (no RPC for an EOA), then
 * ERC-1271 `isValidSignature` (or ERC-6492) on the proposal's chain.
 * Resolves true (valid) or false (the chain answered "invalid"); throws
 * {@link VerificationUnavailableError} when the RPC failed or `timeoutMs` passed — viem folds
 * transport failures into `false`, so the transport is watched to tell "node down" from "invalid".
 */
export async function verifyVoteSignature(
  client: PublicClient,
  { address, typedData, signature }: VerifyVoteSignatureParameters,
  { timeoutMs }: { timeoutMs: number },
): Promise<boolean> {
  if (!isHex(signature, { strict: true }) || size(signature) === 0) return false;
  if (size(signature) === COMPACT_SIGNATURE_BYTES) return false;

  const failures: unknown[] = [];
  const observed = observeTransport(client, failures);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let outcome: boolean | 'timeout';
  try {
    outcome = await Promise.race([
      verifyTypedData(observed, {
        address,
        domain: { ...typedData.domain, salt: typedData.domain.salt as Hex },
        types: typedData.types,
        primaryType: typedData.primaryType,
        message: { ...typedData.message, timestamp: BigInt(typedData.message.timestamp) },
        signature,
        mode: 'eoa',
      }),
      timeout,
    ]);
  } catch (error) {
    throw new VerificationUnavailableError('signature verification failed', { cause: error });
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'timeout') {
    throw new VerificationUnavailableError(`signature verification timed out after ${timeoutMs} ms`, {
      cause: failures[0],
    });
  }
  if (outcome) return true;
  if (failures.length > 0) {
    throw new VerificationUnavailableError('the chain RPC failed during verification', {
      cause: failures[0],
    });
  }
  return false;
}

function observeTransport(client: PublicClient, failures: unknown[]): PublicClient {
  const forward = client.request as unknown as (args: {
    method: string;
    params?: unknown;
  }) => Promise<unknown>;
  const request = async (args: { method: string; params?: unknown }) => {
    try {
      return await forward(args);
    } catch (error) {
      if (
        error instanceof HttpRequestError ||
        error instanceof TimeoutError ||
        error instanceof WebSocketRequestError ||
        error instanceof SocketClosedError
      ) {
        failures.push(error);
      }
      throw error;
    }
  };
  return createPublicClient({
    ...(client.chain ? { chain: client.chain } : {}),
    transport: custom({ request }, { retryCount: 0 }),
    cacheTime: 0,
  });
}
