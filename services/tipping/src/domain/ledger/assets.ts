import { getAddress } from 'viem';

/**
 * A ledger asset key. Amounts of different assets are never added together: `fiat:usd` (minor
 * units), `native:<chainId>` and `erc20:<chainId>:<EIP-55 address>` (base units).
 */
export type AssetKey = string;

export function fiatAsset(currency: string): AssetKey {
  return `fiat:${currency.toLowerCase()}`;
}

export function tokenAsset(chainId: number, token: string): AssetKey {
  return token === 'native' ? `native:${chainId}` : `erc20:${chainId}:${getAddress(token)}`;
}

export type ParsedAsset =
  | { type: 'fiat'; currency: string }
  | { type: 'token'; chainId: number; token: `0x${string}` | 'native' };

export function parseAsset(asset: AssetKey): ParsedAsset {
  const [kind, a, b] = asset.split(':');
  if (kind === 'fiat' && a) return { type: 'fiat', currency: a };
  if (kind === 'native' && a) return { type: 'token', chainId: Number(a), token: 'native' };
  if (kind === 'erc20' && a && b) return { type: 'token', chainId: Number(a), token: b as `0x${string}` };
  throw new Error(`not an asset key: ${asset}`);
}
