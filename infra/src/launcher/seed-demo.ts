import { mnemonicToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';

const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

export interface DemoSeed {
  gatewayUrl: string;
  appOrigin: string;
  communitySlug: string;
  communityToken: string;
  membershipPass: string;
}

import { gatewayApi } from '../support/gateway-api.ts';
/**
 * Seeds the `npm start` demo through the public API, as a creator would: dev account #0 (which
 * holds the CommunityToken supply) signs in and creates the demo community with a free tier, a
 * token-gated tier (≥ 1 CTR) and an NFT tier (a MembershipPass). Idempotent: an existing
 * community is left as it is.
 */
export async function seedDemo(seed: DemoSeed): Promise<'created' | 'exists'> {
  const creator = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 });
  const api = gatewayApi(seed.gatewayUrl, seed.appOrigin);

  if ((await api('GET', `/v1/communities/${seed.communitySlug}`)).status === 200) return 'exists';

  const { json: nonce } = await api('POST', '/v1/auth/siwe/nonce', {});
  const message = createSiweMessage({
    domain: new URL(seed.appOrigin).host,
    address: creator.address,
    statement: 'Sign in to Coterie (demo seed)',
    uri: `${seed.appOrigin}/`,
    version: '1',
    chainId: 31337,
    nonce: String(nonce.nonce),
    issuedAt: new Date(),
  });
  const verify = await api('POST', '/v1/auth/siwe/verify', {
    message,
    signature: await creator.signMessage({ message }),
  });
  const { cookie } = verify;
  if (verify.status !== 200 || !cookie) throw new Error(`demo seed: sign-in failed (${verify.status})`);
  await api('PATCH', '/v1/me', { displayName: 'Demo Creator' }, cookie);

  const created = await api(
    'POST',
    '/v1/communities',
    {
      slug: seed.communitySlug,
      name: 'Coterie Demo',
      description: 'A demo community: hold 1 CTR on the dev chain to join the Holders tier.',
    },
    cookie,
  );
  if (created.status === 409) return 'exists';
  if (created.status !== 201) throw new Error(`demo seed: community not created (${created.status})`);
  const tiers = [
    {
      name: 'Friends',
      description: 'Everyone signed in to the demo.',
      rank: 1,
      perks: [{ label: 'The public channel' }],
      gate: { type: 'role', role: 'member' },
    },
    {
      name: 'Holders',
      description: 'Hold at least 1 CTR (CommunityToken) on the dev chain.',
      rank: 10,
      perks: [{ label: 'Holders-only AMA recordings', url: 'https://example.org/coterie-demo/ama' }],
      gate: { type: 'erc20', chainId: 31337, token: seed.communityToken, min: (10n ** 18n).toString() },
    },
    {
      name: 'Pass holders',
      description: 'Own a MembershipPass NFT.',
      rank: 20,
      perks: [{ label: 'Monthly call with the creator', url: 'https://example.org/coterie-demo/call' }],
      gate: { type: 'erc721', chainId: 31337, token: seed.membershipPass, min: '1' },
    },
  ];
  for (const tier of tiers) {
    const res = await api('POST', `/v1/communities/${seed.communitySlug}/tiers`, tier, cookie);
    if (res.status !== 201) throw new Error(`demo seed: tier ${tier.name} not created (${res.status})`);
  }
  return 'created';
}
