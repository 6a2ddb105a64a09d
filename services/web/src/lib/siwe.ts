/** EIP-4361 (Sign-In with Ethereum) message text, exactly as the standard lays it out. */
export interface SiweFields {
  domain: string;
  /** EIP-55 checksummed. */
  address: string;
  statement?: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
}

export const SIWE_STATEMENT = 'Sign in to Coterie.';
export const SIWE_TTL_MS = 10 * 60 * 1000;

export function buildSiweMessage(fields: SiweFields): string {
  const lines = [`${fields.domain} wants you to sign in with your Ethereum account:`, fields.address, ''];
  if (fields.statement) lines.push(fields.statement, '');
  lines.push(
    `URI: ${fields.uri}`,
    'Version: 1',
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${fields.issuedAt.toISOString()}`,
  );
  if (fields.expirationTime) lines.push(`Expiration Time: ${fields.expirationTime.toISOString()}`);
  return lines.join('\n');
}

/** personal_sign takes the message as 0x-hex of its UTF-8 bytes. */
export function utf8ToHex(text: string): `0x${string}` {
  let hex = '0x';
  for (const byte of new TextEncoder().encode(text)) hex += byte.toString(16).padStart(2, '0');
  return hex as `0x${string}`;
}
