import { identityRpc } from '@coterie/contracts';
import type { Address, HDAccount, LocalAccount } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import type { Browser } from './browser.ts';
import { APP_DOMAIN, APP_ORIGIN } from './platform.ts';

export type SiweFields = Parameters<typeof createSiweMessage>[0];

/** An EIP-4361 message for the test app (domain, uri, dev chain), valid for five minutes. */
export function siweMessage(address: Address, nonce: string, overrides: Partial<SiweFields> = {}): string {
  return createSiweMessage({
    domain: APP_DOMAIN,
    address,
    statement: 'Sign in to Coterie',
    uri: `${APP_ORIGIN}/`,
    version: '1',
    chainId: 31337,
    nonce,
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 5 * 60_000),
    ...overrides,
  });
}

/** A fresh nonce from the gateway. */
export async function nonceFrom(browser: Browser): Promise<string> {
  const res = await browser.post('/v1/auth/siwe/nonce');
  if (res.statusCode !== 200) throw new Error(`nonce: ${res.statusCode} ${res.body}`);
  return res.json<{ nonce: string }>().nonce;
}

/** nonce → message → personal_sign → verify: the browser ends up with a session cookie. */
export async function signInWithWallet(
  browser: Browser,
  account: HDAccount | LocalAccount,
): Promise<{ memberId: string; wallets: string[] }> {
  const message = siweMessage(account.address, await nonceFrom(browser));
  const signature = await account.signMessage({ message });
  const res = await browser.post('/v1/auth/siwe/verify', { message, signature });
  if (res.statusCode !== 200) throw new Error(`sign-in: ${res.statusCode} ${res.body}`);
  const { member } = res.json<{ member: { id: string; wallets: string[] } }>();
  return { memberId: member.id, wallets: member.wallets };
}

/** The subject identity answers `resolveSession` on, in `namespace` (to count cache misses). */
export function resolveSessionSubject(namespace: string): string {
  return `${namespace}.${identityRpc.resolveSession.subject}`;
}
