import { getAddress } from 'viem';
import { SiweError } from './siwe-error.ts';
import type { SiweMessage } from './siwe-message.ts';

export type CheckSiweFieldsParameters = {
  /** The RFC 3986 authority the app is served from, as the wallet shows it: `localhost:3000`. */
  expectedDomain: string;
  /** The app's origin, e.g. `http://localhost:3000`; the message's `uri` must be on it. */
  expectedOrigin: string;
  /** Chains we can verify signatures on (we need an RPC client for ERC-1271 wallets). */
  allowedChainIds: readonly number[];
  now: Date;
  /** Tolerance for a client clock running ahead; applied to `issuedAt` and `notBefore` only. */
  clockSkewMs: number;
};

/**
 * Checks that a parsed message is meant for us, now. Neither `siwe` nor viem checks `chainId` or
 * `uri`, so this is the only place they are bound to our app. Throws on the first failed check.
 * Nonce freshness and the signature are checked elsewhere (they need storage and the chain).
 *
 * @throws {SiweError} `siwe_malformed` (400); `siwe_domain_mismatch`, `siwe_uri_mismatch`,
 *   `siwe_chain_unsupported`, `siwe_not_yet_valid`, `siwe_expired` (401).
 */
export function checkSiweFields(message: SiweMessage, params: CheckSiweFieldsParameters): void {
  // `parseSiweMessage` already refuses these; repeated because a SiweMessage can be built
  // without it, and a lowercase address would let one wallet be linked under two spellings.
  if (!isEip55(message.address)) {
    throw new SiweError('siwe_malformed', 400, 'address must be EIP-55 checksummed');
  }
  if (message.version !== '1') {
    throw new SiweError('siwe_malformed', 400, `unsupported SIWE version ${String(message.version)}`);
  }

  const expectedOrigin = new URL(params.expectedOrigin);
  // EIP-4361: a scheme in the message must be the one the request came over (no https→http downgrade).
  if (message.scheme !== undefined && `${message.scheme.toLowerCase()}:` !== expectedOrigin.protocol) {
    throw new SiweError('siwe_domain_mismatch', 401, `scheme ${message.scheme} is not the app's`);
  }
  if (message.domain !== params.expectedDomain) {
    throw new SiweError(
      'siwe_domain_mismatch',
      401,
      `domain ${message.domain} is not ${params.expectedDomain}`,
    );
  }
  if (originOf(message.uri) !== expectedOrigin.origin) {
    throw new SiweError('siwe_uri_mismatch', 401, `uri is not on ${expectedOrigin.origin}`);
  }
  if (!params.allowedChainIds.includes(message.chainId)) {
    throw new SiweError('siwe_chain_unsupported', 401, `chain ${message.chainId} is not supported`);
  }

  const now = params.now.getTime();
  const latestStart = now + params.clockSkewMs;
  if (timeOf(message.issuedAt, 'issuedAt') > latestStart) {
    throw new SiweError('siwe_not_yet_valid', 401, 'message is issued in the future');
  }
  if (message.notBefore !== undefined && timeOf(message.notBefore, 'notBefore') > latestStart) {
    throw new SiweError('siwe_not_yet_valid', 401, 'message is not valid yet');
  }
  // No skew here: a skew would only extend a lifetime the signer chose; the instant itself is expired.
  if (message.expirationTime !== undefined && now >= timeOf(message.expirationTime, 'expirationTime')) {
    throw new SiweError('siwe_expired', 401, 'message has expired');
  }
}

function isEip55(address: string): boolean {
  try {
    return getAddress(address) === address;
  } catch {
    return false;
  }
}

// Non-special schemes (`did:`, `urn:`) have the opaque origin "null", which never equals ours.
function originOf(uri: string): string | undefined {
  try {
    const { origin } = new URL(uri);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function timeOf(value: string, name: string): number {
  const time = Date.parse(value);
  if (!Number.isFinite(time)) throw new SiweError('siwe_malformed', 400, `invalid ${name}`);
  return time;
}
