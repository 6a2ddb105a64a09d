import type { LocalAccount } from 'viem';
import { createSiweMessage } from 'viem/siwe';

export interface SignedIn {
  memberId: string;
  /** `coterie_session=<token>`, ready for a `cookie` header. */
  cookie: string;
}

/**
 * A wallet sign-in over HTTP as a browser on `appOrigin` does it: nonce → EIP-4361 message →
 * personal_sign → verify. Throws with the status when the gateway refuses.
 */
export async function signInOverHttp(
  gatewayUrl: string,
  account: LocalAccount,
  appOrigin = 'http://localhost:3000',
): Promise<SignedIn> {
  const origin = { origin: appOrigin };
  const nonceRes = await fetch(`${gatewayUrl}/v1/auth/siwe/nonce`, { method: 'POST', headers: origin });
  if (nonceRes.status !== 200) throw new Error(`nonce: ${nonceRes.status} ${await nonceRes.text()}`);
  const { nonce } = (await nonceRes.json()) as { nonce: string };
  const message = createSiweMessage({
    domain: new URL(appOrigin).host,
    address: account.address,
    uri: `${appOrigin}/`,
    version: '1',
    chainId: 31337,
    nonce,
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  const res = await fetch(`${gatewayUrl}/v1/auth/siwe/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...origin },
    body: JSON.stringify({ message, signature }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const { member } = (await res.json()) as { member: { id: string } };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('coterie_session=')) throw new Error('sign-in: no session cookie');
  return { memberId: member.id, cookie };
}
