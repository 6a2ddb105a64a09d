import { type PrivateKeyAccount, verifyMessage } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { type BenchInfraUrls, startIdentityPlatform } from './bench-platform.ts';
import type { BenchRow } from './table.ts';

/**
 * Full SIWE sign-ins through the gateway over HTTP (nonce → sign → verify → session), beside
 * the raw cost of viem's `verifyMessage` measured in the same run on the same machine.
 */
export async function benchSiweSignIns(
  infra: BenchInfraUrls,
  seconds = 5,
  concurrency = 16,
): Promise<BenchRow[]> {
  const platform = await startIdentityPlatform(infra);
  const accounts = Array.from({ length: 64 }, () => privateKeyToAccount(generatePrivateKey()));
  const { host } = new URL(platform.url);
  const domain = 'localhost:3000';

  async function signIn(account: PrivateKeyAccount): Promise<void> {
    const nonceRes = await fetch(`${platform.url}/v1/auth/siwe/nonce`, {
      method: 'POST',
      headers: { origin: 'http://localhost:3000' },
    });
    const { nonce } = (await nonceRes.json()) as { nonce: string };
    const message = createSiweMessage({
      domain,
      address: account.address,
      uri: 'http://localhost:3000/',
      version: '1',
      chainId: 31337,
      nonce,
      issuedAt: new Date(),
    });
    const signature = await account.signMessage({ message });
    const res = await fetch(`${platform.url}/v1/auth/siwe/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify({ message, signature }),
    });
    await res.arrayBuffer();
    if (res.status !== 200 || !res.headers.get('set-cookie'))
      throw new Error(`sign-in failed: ${res.status} (${host})`);
  }

  try {
    for (const account of accounts.slice(0, 8)) await signIn(account); // warm up
    let done = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        let i = worker;
        while (performance.now() < deadline) {
          await signIn(accounts[i++ % accounts.length] as PrivateKeyAccount);
          done += 1;
        }
      }),
    );
    const signInsPerSecond = done / ((performance.now() - started) / 1000);

    const account = accounts[0] as PrivateKeyAccount;
    const message = createSiweMessage({
      domain,
      address: account.address,
      uri: 'http://localhost:3000/',
      version: '1',
      chainId: 31337,
      nonce: 'abcdef0123456789',
      issuedAt: new Date(),
    });
    const signature = await account.signMessage({ message });
    let verified = 0;
    const rawStart = performance.now();
    while (performance.now() - rawStart < 2_000) {
      if (await verifyMessage({ address: account.address, message, signature })) verified += 1;
    }
    const verifiesPerSecond = verified / ((performance.now() - rawStart) / 1000);
    return [
      {
        figure: `SIWE sign-ins through the gateway (nonce+sign+verify+session, ${concurrency} clients)`,
        value: `${Math.round(signInsPerSecond)}/s`,
        target: '—',
        verdict: 'info',
      },
      {
        figure: 'viem verifyMessage alone (EOA, same run)',
        value: `${Math.round(verifiesPerSecond)}/s`,
        target: '—',
        verdict: 'info',
      },
      {
        figure: 'sign-ins ÷ raw verifications',
        value: `${((signInsPerSecond / verifiesPerSecond) * 100).toFixed(1)} %`,
        target: '—',
        verdict: 'info',
      },
    ];
  } finally {
    await platform.stop();
  }
}
