/**
 * The few ABI encodings the app needs for `eth_call` / `eth_sendTransaction`, by hand: pulling a
 * full ABI coder into the first load would cost more than everything here.
 */

const SELECTORS = {
  balanceOf: '0x70a08231', // balanceOf(address)
  balanceOf1155: '0x00fdd58e', // balanceOf(address,uint256)
  decimals: '0x313ce567', // decimals()
  symbol: '0x95d89b41', // symbol()
  transfer: '0xa9059cbb', // transfer(address,uint256)
} as const;

function word(hex: string): string {
  return hex.replace(/^0x/, '').toLowerCase().padStart(64, '0');
}

function uintWord(value: string | bigint): string {
  return word(BigInt(value).toString(16));
}

export function encodeBalanceOf(owner: string): `0x${string}` {
  return `${SELECTORS.balanceOf}${word(owner)}`;
}

export function encodeBalanceOf1155(owner: string, tokenId: string): `0x${string}` {
  return `${SELECTORS.balanceOf1155}${word(owner)}${uintWord(tokenId)}`;
}

export function encodeDecimals(): `0x${string}` {
  return SELECTORS.decimals;
}

export function encodeSymbol(): `0x${string}` {
  return SELECTORS.symbol;
}

export function encodeTransfer(to: string, amount: string | bigint): `0x${string}` {
  return `${SELECTORS.transfer}${word(to)}${uintWord(amount)}`;
}

/** A uint256 return value; "0x" (no contract there) reads as undefined. */
export function decodeUint(data: string): bigint | undefined {
  const hex = data.replace(/^0x/, '');
  if (hex.length < 64) return undefined;
  return BigInt(`0x${hex.slice(0, 64)}`);
}

/** A `string` return value, or the bytes32 some old tokens return for symbol(). */
export function decodeString(data: string): string | undefined {
  const hex = data.replace(/^0x/, '');
  if (hex.length < 64) return undefined;
  const bytesToText = (h: string) => {
    const bytes = new Uint8Array(h.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16);
    return new TextDecoder().decode(bytes).replace(/\0+$/, '');
  };
  if (hex.length === 64) return bytesToText(hex);
  const offset = Number(BigInt(`0x${hex.slice(0, 64)}`)) * 2;
  const length = Number(BigInt(`0x${hex.slice(offset, offset + 64)}`)) * 2;
  if (!Number.isSafeInteger(offset) || offset + 64 + length > hex.length) return undefined;
  return bytesToText(hex.slice(offset + 64, offset + 64 + length));
}
