import { devChainDefinition, devTransport } from '@coterie/contracts-abi/dev-chain';
import type { Page } from 'playwright-core';
import { createPublicClient, createWalletClient, type Hex, type LocalAccount } from 'viem';

/** What the page's `window.ethereum` does, decided in Node: tests flip these to provoke errors. */
export interface TestWallet {
  account: LocalAccount;
  chainId: number;
  /** The next personal_sign / eth_signTypedData_v4 is rejected by "the user" (EIP-1193 4001). */
  rejectNextSignature: boolean;
  calls: string[];
}

type RpcError = { code: number; message: string };

const INTEGER_TYPE = /^u?int\d*$/;

/** JSON carries uints as strings or numbers; viem wants bigints for them. */
function normalizeTypedData(typed: {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}) {
  const convert = (type: string, value: unknown): unknown => {
    if (INTEGER_TYPE.test(type) && (typeof value === 'string' || typeof value === 'number'))
      return BigInt(value);
    const struct = typed.types[type];
    if (struct && value && typeof value === 'object') {
      return Object.fromEntries(
        struct.map((field) => [
          field.name,
          convert(field.type, (value as Record<string, unknown>)[field.name]),
        ]),
      );
    }
    return value;
  };
  const { EIP712Domain: _domainType, ...types } = typed.types;
  const domain = { ...typed.domain };
  if (typeof domain.chainId === 'string') domain.chainId = Number(domain.chainId);
  return {
    domain,
    types,
    primaryType: typed.primaryType,
    message: convert(typed.primaryType, typed.message),
  };
}

/**
 * Injects an EIP-1193 provider into every page of `page`'s context: the page calls back into Node
 * (`exposeFunction`), where `wallet.account` signs and a viem client talks to the dev chain.
 */
export async function injectWallet(page: Page, wallet: TestWallet, rpcUrl: string): Promise<void> {
  const chain = devChainDefinition(rpcUrl);
  const transport = devTransport(rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ chain, transport, account: wallet.account });

  const handle = async (method: string, params: unknown[]): Promise<unknown> => {
    wallet.calls.push(method);
    const reject = (): never => {
      wallet.rejectNextSignature = false;
      throw { code: 4001, message: 'User rejected the request.' } satisfies RpcError;
    };
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [wallet.account.address];
      case 'eth_chainId':
        return `0x${wallet.chainId.toString(16)}`;
      case 'wallet_switchEthereumChain': {
        const [{ chainId }] = params as [{ chainId: string }];
        if (Number.parseInt(chainId, 16) !== chain.id) {
          throw { code: 4902, message: 'Unrecognized chain' } satisfies RpcError;
        }
        wallet.chainId = chain.id;
        return null;
      }
      case 'personal_sign': {
        if (wallet.rejectNextSignature) reject();
        const [data] = params as [Hex];
        return wallet.account.signMessage({ message: { raw: data } });
      }
      case 'eth_signTypedData_v4': {
        if (wallet.rejectNextSignature) reject();
        const [, json] = params as [string, string];
        // biome-ignore lint/suspicious/noExplicitAny: the typed data's shape is only known at run time
        return wallet.account.signTypedData(normalizeTypedData(JSON.parse(json)) as any);
      }
      case 'eth_call': {
        const [{ to, data }] = params as [{ to: Hex; data: Hex }];
        const result = await publicClient.call({ to, data });
        return result.data ?? '0x';
      }
      case 'eth_getBalance': {
        const [address] = params as [Hex];
        return `0x${(await publicClient.getBalance({ address })).toString(16)}`;
      }
      case 'eth_sendTransaction': {
        const [tx] = params as [{ to: Hex; data?: Hex; value?: Hex }];
        return walletClient.sendTransaction({
          to: tx.to,
          ...(tx.data ? { data: tx.data } : {}),
          ...(tx.value ? { value: BigInt(tx.value) } : {}),
        });
      }
      default:
        throw { code: 4200, message: `unsupported method ${method}` } satisfies RpcError;
    }
  };

  await page.exposeFunction('__coterieWalletRequest', async (method: string, paramsJson: string) => {
    try {
      return JSON.stringify({ result: await handle(method, JSON.parse(paramsJson) as unknown[]) });
    } catch (error) {
      const e = error as Partial<RpcError> & { shortMessage?: string };
      return JSON.stringify({
        error: {
          code: typeof e.code === 'number' ? e.code : -32603,
          message: e.shortMessage ?? e.message ?? String(error),
        },
      });
    }
  });
  await page.addInitScript(() => {
    // Looked up per call: the binding is installed by Playwright, not by this script.
    const bridge = (method: string, params: string) =>
      (
        globalThis as unknown as { __coterieWalletRequest(m: string, p: string): Promise<string> }
      ).__coterieWalletRequest(method, params);
    (globalThis as unknown as { ethereum: unknown }).ethereum = {
      isCoterieTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const out = JSON.parse(await bridge(method, JSON.stringify(params ?? []))) as {
          result?: unknown;
          error?: { code: number; message: string };
        };
        if (out.error) throw Object.assign(new Error(out.error.message), { code: out.error.code });
        return out.result;
      },
      on() {},
      removeListener() {},
    };
  });
}
