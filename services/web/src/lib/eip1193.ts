/** The injected wallet (EIP-1193) as far as the app uses it; every call goes through `request`. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

/** EIP-1193 / EIP-1474 error codes the app explains to people. */
export const USER_REJECTED = 4001;
export const UNRECOGNIZED_CHAIN = 4902;

export class WalletError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'WalletError';
    this.code = code;
  }
}

export function rpcErrorCode(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'number') return code;
    if (typeof code === 'string' && /^-?\d+$/.test(code)) return Number(code);
  }
  return undefined;
}

/** A wallet failure in words a person can act on. */
export function toWalletError(error: unknown, action: string): WalletError {
  if (error instanceof WalletError) return error;
  const code = rpcErrorCode(error);
  if (code === USER_REJECTED)
    return new WalletError('user_rejected', `You rejected the ${action} in your wallet.`);
  const message = error instanceof Error ? error.message : String(error);
  return new WalletError('wallet_failed', `Your wallet could not complete the ${action}: ${message}`);
}

export async function requestAccounts(provider: Eip1193Provider): Promise<string[]> {
  try {
    const accounts = await provider.request({ method: 'eth_requestAccounts' });
    if (!Array.isArray(accounts) || accounts.length === 0) {
      throw new WalletError('no_account', 'Your wallet did not share an account. Unlock it and try again.');
    }
    return accounts.map(String);
  } catch (error) {
    throw toWalletError(error, 'connection request');
  }
}

export async function currentChainId(provider: Eip1193Provider): Promise<number> {
  const hex = await provider.request({ method: 'eth_chainId' });
  return Number.parseInt(String(hex), 16);
}

export async function switchChain(provider: Eip1193Provider, chainId: number): Promise<void> {
  try {
    await provider.request({
      method: 'wallet_switchEthereumChain',
      params: [{ chainId: `0x${chainId.toString(16)}` }],
    });
  } catch (error) {
    if (rpcErrorCode(error) === UNRECOGNIZED_CHAIN) {
      throw new WalletError(
        'chain_unknown',
        `Your wallet does not know chain ${chainId}. Add it to your wallet first, then try again.`,
      );
    }
    throw toWalletError(error, 'network switch');
  }
}

export async function ethCall(provider: Eip1193Provider, to: string, data: string): Promise<string> {
  return String(await provider.request({ method: 'eth_call', params: [{ to, data }, 'latest'] }));
}

export async function personalSign(
  provider: Eip1193Provider,
  messageHex: string,
  address: string,
): Promise<string> {
  try {
    return String(await provider.request({ method: 'personal_sign', params: [messageHex, address] }));
  } catch (error) {
    throw toWalletError(error, 'signature request');
  }
}

export async function signTypedData(
  provider: Eip1193Provider,
  address: string,
  typedData: unknown,
): Promise<string> {
  try {
    return String(
      await provider.request({
        method: 'eth_signTypedData_v4',
        params: [address, JSON.stringify(typedData)],
      }),
    );
  } catch (error) {
    throw toWalletError(error, 'vote signature');
  }
}

export async function sendTransaction(
  provider: Eip1193Provider,
  tx: { from: string; to: string; data?: string; value?: string },
): Promise<`0x${string}`> {
  try {
    return String(await provider.request({ method: 'eth_sendTransaction', params: [tx] })) as `0x${string}`;
  } catch (error) {
    throw toWalletError(error, 'transaction');
  }
}
