import { randomBytes, randomUUID } from 'node:crypto';
import { entitlementsRpc } from '@coterie/contracts';
import { setupDevChain } from '@coterie/contracts-abi/dev-chain';
import { createLogger } from '@coterie/logger';
import { connectNats, createNaming, createRpcClient } from '@coterie/messaging';
import { encodeAbiParameters, getAddress, keccak256, numberToHex } from 'viem';
import { createBalanceReader } from '../src/adapters/chain/read-balances.ts';
import { createApp } from '../src/app.ts';
import { reverifyDueMemberships } from '../src/application/reverify-due-memberships.ts';
import { configSchema } from '../src/config.ts';
import type { MemberDirectory, MemberFacts } from '../src/ports.ts';

/** The row shape of `infra/src/bench/table.ts` (declared here so the service does not import infra). */
export interface BenchRow {
  figure: string;
  value: string;
  target: string;
  verdict: 'pass' | 'fail' | 'info';
}

export interface BenchInfra {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
}

const logger = createLogger({ name: 'entitlements-bench', level: 'silent' });

function configFor(
  infra: BenchInfra,
  namespace: string,
  chainsJson: string,
  extra: Record<string, string> = {},
) {
  return configSchema.parse({
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    COTERIE_NAMESPACE: namespace,
    LOG_LEVEL: 'silent',
    NATS_STREAM_REPLICAS: '1',
    CHAINS: chainsJson,
    ...extra,
  });
}

/** A member directory in memory: these benchmarks measure entitlements, not identity. */
function memoryDirectory(members: Map<string, MemberFacts>): MemberDirectory {
  return {
    async getMembers(ids) {
      return new Map(
        ids.flatMap((id) => (members.has(id) ? [[id, members.get(id) as MemberFacts] as const] : [])),
      );
    },
    async memberIdsByAddress() {
      return new Map();
    },
  };
}

/**
 * Warm `entitlements.rpc.check` over NATS: request validation, the in-memory view, the reply,
 * and the client's response validation, with `concurrency` requests in flight.
 */
export async function benchEntitlementsCheck(
  infra: BenchInfra,
  seconds = 3,
  concurrency = 128,
): Promise<BenchRow> {
  const namespace = `${infra.namespace}_entck`;
  const chains = JSON.stringify([{ chainId: 31337, rpcUrl: 'http://127.0.0.1:9' }]);
  const app = createApp(configFor(infra, namespace, chains), {
    logger,
    members: memoryDirectory(new Map()),
    watchTransfers: false,
  });
  await app.start();
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-entitlements-check' });
  try {
    const rpc = createRpcClient(nc, createNaming(namespace));
    const owner = randomUUID();
    const { community } = await rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'bench-check',
      name: 'Bench',
      description: '',
    });
    // 1,000 members holding a tier, as the events would have put them in the view.
    const memberIds = Array.from({ length: 1_000 }, () => randomUUID());
    const tier = { id: randomUUID(), name: 'Members', rank: 1 };
    memberIds.forEach((id, i) => {
      if (i % 2 === 0) app.view.applyMembership(community.id, id, tier, 1);
    });
    let i = 0;
    const next = () => ({
      memberId: memberIds[i++ % memberIds.length] as string,
      communityId: community.id,
      minRank: 1,
    });
    for (let w = 0; w < 500; w++) await rpc.call(entitlementsRpc.check, next());
    let done = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await rpc.call(entitlementsRpc.check, next());
          done += 1;
        }
      }),
    );
    const rate = done / ((performance.now() - started) / 1000);
    return {
      figure: `entitlements.rpc.check over NATS (warm, ${concurrency} in flight)`,
      value: `${Math.round(rate)}/s`,
      target: '≥ 5,000/s',
      verdict: rate >= 5_000 ? 'pass' : 'fail',
    };
  } finally {
    await nc.close();
    await app.stop();
  }
}

/**
 * Re-verifying `holders` memberships of one ERC-20 gate on a fresh dev chain (its own Hardhat
 * node): one pass of the re-verification loop over memberships that are all due. Counts the
 * JSON-RPC HTTP requests the chain reader makes.
 */
export async function benchReverifyHolders(
  infra: BenchInfra,
  options: {
    holders?: number;
    /** A dev chain with the demo contracts already running (`ensureChain().demo`); else one is started. */
    devChain?: { rpcUrl: string; contracts: { CommunityToken: string } } | undefined;
  } = {},
): Promise<BenchRow[]> {
  const holders = options.holders ?? 5_000;
  const namespace = `${infra.namespace}_entrv`;
  const own = options.devChain ? undefined : await setupDevChain({});
  const chain = {
    chainId: 31337,
    rpcUrl: options.devChain?.rpcUrl ?? (own?.rpcUrl as string),
    stop: async () => {
      await own?.stop();
    },
  };
  const token = options.devChain?.contracts.CommunityToken ?? (own?.contracts.CommunityToken as string);
  const chains = JSON.stringify([{ chainId: chain.chainId, rpcUrl: chain.rpcUrl, confirmations: 1 }]);
  const members = new Map<string, MemberFacts>();
  const wallets: string[] = [];
  for (let n = 0; n < holders; n++) {
    const wallet = getAddress(`0x${randomBytes(20).toString('hex')}`);
    wallets.push(wallet);
    members.set(randomUUID(), { wallets: [wallet], emails: [] });
  }
  // Balances written straight into the token's storage (OpenZeppelin ERC20: `_balances` is
  // slot 0), in batched JSON-RPC requests: 5,000 transfers would take minutes on Hardhat.
  const value = numberToHex(10n ** 18n, { size: 32 });
  for (let start = 0; start < wallets.length; start += 1_000) {
    const batch = wallets.slice(start, start + 1_000).map((wallet, k) => ({
      jsonrpc: '2.0',
      id: start + k,
      method: 'hardhat_setStorageAt',
      params: [
        token,
        keccak256(
          encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [wallet as `0x${string}`, 0n]),
        ),
        value,
      ],
    }));
    const response = await fetch(chain.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    await response.arrayBuffer();
  }

  let chainCalls = 0;
  const readBalances = createBalanceReader(
    [
      {
        chainId: chain.chainId,
        name: 'bench',
        rpcUrl: chain.rpcUrl,
        confirmations: 1,
        multicall3: '0xcA11bde05977b3631167028862bE2a173976CA11',
      },
    ],
    {
      onRequest: () => {
        chainCalls += 1;
      },
    },
  );
  const app = createApp(configFor(infra, namespace, chains, { MEMBERSHIP_REVERIFY_BATCH_SIZE: '5000' }), {
    logger,
    members: memoryDirectory(members),
    readBalances,
    watchTransfers: false,
    reverifyTickMs: 3_600_000,
  });
  await app.start();
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-entitlements-reverify' });
  try {
    const rpc = createRpcClient(nc, createNaming(namespace), { timeoutMs: 30_000 });
    const owner = randomUUID();
    const { community } = await rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'bench-holders',
      name: 'Bench holders',
      description: '',
    });
    await rpc.call(entitlementsRpc.createTier, {
      actorId: owner,
      slug: 'bench-holders',
      tier: { name: 'Holders', rank: 1, gate: { type: 'erc20', chainId: chain.chainId, token, min: '1' } },
    });
    await new Promise((r) => setTimeout(r, 300)); // let the loop's wake-up pass (nothing due yet) finish
    const deps = app.deps;
    if (!deps) throw new Error('entitlements did not start');
    await deps.pool.query(
      `INSERT INTO memberships (community_id, member_id, valid_until)
       SELECT $1, id, now() - interval '1 second' FROM unnest($2::uuid[]) AS id`,
      [community.id, [...members.keys()]],
    );
    chainCalls = 0;
    const started = performance.now();
    const reverified = await reverifyDueMemberships(deps, { batchSize: holders, leaseMs: 60_000 });
    const secondsTaken = (performance.now() - started) / 1000;
    const { rows } = await deps.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM memberships WHERE community_id = $1 AND tier_id IS NOT NULL',
      [community.id],
    );
    const granted = rows[0]?.n ?? 0;
    const ok = reverified === holders && granted === holders;
    return [
      {
        figure: `re-verify ${holders.toLocaleString('en')} ERC-20 holders: chain RPC calls`,
        value: ok ? String(chainCalls) : `${chainCalls} (only ${granted}/${holders} granted)`,
        target: '≤ 10',
        verdict: ok && chainCalls <= 10 ? 'pass' : 'fail',
      },
      {
        figure: `re-verify ${holders.toLocaleString('en')} ERC-20 holders: time (identity in memory)`,
        value: `${secondsTaken.toFixed(2)} s`,
        target: '—',
        verdict: 'info',
      },
    ];
  } finally {
    await nc.close();
    await app.stop();
    await chain.stop();
  }
}
