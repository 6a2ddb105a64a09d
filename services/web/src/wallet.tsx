import { api } from './api/client.ts';
import type { PublicConfig, SiweNonce } from './api/types.ts';
import { toChecksumAddress } from './lib/address.ts';
import {
  currentChainId,
  type Eip1193Provider,
  personalSign,
  requestAccounts,
  WalletError,
} from './lib/eip1193.ts';
import { buildSiweMessage, SIWE_STATEMENT, SIWE_TTL_MS, utf8ToHex } from './lib/siwe.ts';

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export function injectedProvider(): Eip1193Provider | undefined {
  return typeof window !== 'undefined' ? window.ethereum : undefined;
}

export function requireProvider(): Eip1193Provider {
  const provider = injectedProvider();
  if (!provider) {
    throw new WalletError(
      'no_wallet',
      'No wallet found in this browser. Install a wallet extension (e.g. MetaMask), or sign in with email.',
    );
  }
  return provider;
}

/** Thrown when the wallet is on a chain Coterie does not accept; the UI offers to switch. */
export class WrongNetworkError extends WalletError {
  readonly current: number;
  readonly expected: { chainId: number; name: string };
  constructor(current: number, expected: { chainId: number; name: string }, accepted: string) {
    super(
      'wrong_network',
      `Your wallet is on network ${current}, which Coterie does not accept. Switch to ${accepted}.`,
    );
    this.current = current;
    this.expected = expected;
  }
}

/** The connected account (checksummed) and its chain, checked against the server's chains. */
export async function connectWallet(
  provider: Eip1193Provider,
  config: PublicConfig,
): Promise<{ address: `0x${string}`; chainId: number }> {
  const [account] = await requestAccounts(provider);
  const chainId = await currentChainId(provider);
  const first = config.chains[0];
  if (first && !config.chains.some((c) => c.chainId === chainId)) {
    const accepted = config.chains.map((c) => `${c.name} (chain ${c.chainId})`).join(' or ');
    throw new WrongNetworkError(chainId, first, accepted);
  }
  return { address: toChecksumAddress(account ?? ''), chainId };
}

/** A fresh EIP-4361 proof: server nonce, our domain and origin, 10-minute expiry, personal_sign. */
export async function signInWithEthereum(
  provider: Eip1193Provider,
  config: PublicConfig,
): Promise<{ message: string; signature: string; address: string }> {
  const { address, chainId } = await connectWallet(provider, config);
  const { nonce } = await api.post<SiweNonce>('/v1/auth/siwe/nonce');
  const issuedAt = new Date();
  const message = buildSiweMessage({
    domain: config.appDomain,
    address,
    statement: SIWE_STATEMENT,
    uri: location.origin,
    chainId,
    nonce,
    issuedAt,
    expirationTime: new Date(issuedAt.getTime() + SIWE_TTL_MS),
  });
  const signature = await personalSign(provider, utf8ToHex(message), address);
  return { message, signature, address };
}
