import type { Address } from 'viem';

/**
 * An EIP-4361 message as parsed by `parseSiweMessage`. Timestamps stay the RFC 3339 strings that
 * were signed (so a re-serialised message is byte-identical); `checkSiweFields` reads them as dates.
 */
export type SiweMessage = {
  /** The RFC 3986 scheme before the domain (`https://example.com wants you…`), when present. */
  scheme?: string;
  /** RFC 3986 authority the request comes from, e.g. `localhost:3000`. */
  domain: string;
  /** EIP-55 checksummed. */
  address: Address;
  statement?: string;
  uri: string;
  version: '1';
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
};
