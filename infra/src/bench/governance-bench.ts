import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { type Address, createPublicClient, http, type PrivateKeyAccount } from 'viem';
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { readVotingPower } from '../../../services/governance/src/adapters/chain/read-voting-power.ts';
import { gatewayApi } from '../support/gateway-api.ts';
import { signInOverHttp } from '../support/siwe-client.ts';
import { type BenchInfraUrls, startFullPlatform } from './bench-platform.ts';
import type { BenchRow } from './table.ts';

const ORIGIN = 'http://localhost:3000';
const CTR = 10n ** 18n;

export interface GovernanceBenchInfra extends BenchInfraUrls {
  rpcUrl: string;
  communityToken: Address;
  multicall3: Address;
}

/**
 * (1) Voting power of 500 holders at a snapshot block through governance's own reader: RPC calls
 * and seconds (Snapshot's strategy budget: ≤ 5 requests and < 10 s for 500 addresses).
 * (2) Signed votes accepted per second through the gateway (typed data → sign → POST).
 */
export async function benchGovernance(
  infra: GovernanceBenchInfra,
  voters = 120,
  seconds = 5,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const holders = Array.from({ length: 500 }, () => privateKeyToAccount(generatePrivateKey()));
  const deployer = mnemonicToAccount('test test test test test test test test test test test junk');
  // The voters hold 1 CTR each; the other holders' balances are read all the same.
  for (const holder of holders.slice(0, voters)) {
    await sendAndWait(infra.rpcUrl, (c) =>
      c.writeContract({
        address: infra.communityToken,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [holder.address, CTR],
      }),
    );
  }
  await evmMine(infra.rpcUrl, 2);

  let calls = 0;
  const client = createPublicClient({
    chain: {
      id: 31337,
      name: 'dev',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [infra.rpcUrl] } },
      contracts: { multicall3: { address: infra.multicall3 } },
    },
    transport: http(infra.rpcUrl, {
      onFetchRequest: () => {
        calls += 1;
      },
    }),
  });
  const snapshotBlock = (await client.getBlockNumber()) - 1n;
  calls = 0;
  const started = performance.now();
  const power = await readVotingPower(client as never, {
    strategy: { kind: 'erc20-balance', params: { chainId: 31337, token: infra.communityToken } },
    snapshotBlock,
    addresses: holders.map((h) => h.address),
  });
  const powerSeconds = (performance.now() - started) / 1000;
  const funded = power.filter((p) => p > 0n).length;
  rows.push({
    figure: `Voting power of 500 holders at a snapshot block (${funded} funded)`,
    value: `${calls} RPC call(s), ${powerSeconds.toFixed(3)} s`,
    target: '≤ 5 calls, < 10 s',
    verdict: calls <= 5 && powerSeconds < 10 ? 'pass' : 'fail',
  });

  const platform = await startFullPlatform(infra);
  try {
    const api = gatewayApi(platform.url, ORIGIN);
    const { cookie: owner } = await signInOverHttp(platform.url, deployer, ORIGIN);
    const slug = `bench-${Date.now().toString(36)}`;
    await api('POST', '/v1/communities', { slug, name: 'Bench' }, owner);
    const created = await api(
      'POST',
      `/v1/communities/${slug}/proposals`,
      {
        title: 'Bench',
        choices: ['Yes', 'No'],
        type: 'single-choice',
        startsAt: new Date(Date.now() - 1_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        quorum: { kind: 'absolute', value: '1' },
        strategy: { kind: 'erc20-balance', params: { chainId: 31337, token: infra.communityToken } },
      },
      owner,
    );
    const proposalId = (created.json as { proposal: { id: string } }).proposal.id;
    const path = `/v1/communities/${slug}/proposals/${proposalId}`;
    const vote = async (account: PrivateKeyAccount, choice: number) => {
      const q = new URLSearchParams({ voter: account.address, choice: String(choice) });
      const typed = (await api('GET', `${path}/vote-typed-data?${q}`)).json as Record<string, unknown>;
      const signature = await account.signTypedData(typed as never);
      const res = await api('POST', `${path}/votes`, { message: typed.message, signature });
      if (res.status !== 201) throw new Error(`vote refused: ${res.status} ${JSON.stringify(res.json)}`);
    };
    let accepted = 0;
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    const queue = holders.slice(0, voters);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker, round = 1; performance.now() < deadline; i += 8) {
          if (i >= queue.length) {
            i = worker;
            round += 1;
            // The vote's timestamp has second resolution: a replacement must be later.
            await new Promise((r) => setTimeout(r, 1_000));
          }
          await vote(queue[i] as PrivateKeyAccount, round % 2 === 0 ? 2 : 1);
          accepted += 1;
        }
      }),
    );
    rows.push({
      figure: 'Signed votes accepted through the gateway (typed data + sign + verify + store, 8 clients)',
      value: `${Math.round(accepted / ((performance.now() - t0) / 1000))}/s`,
      target: '—',
      verdict: 'info',
    });
  } finally {
    await platform.stop();
  }
  return rows;
}
