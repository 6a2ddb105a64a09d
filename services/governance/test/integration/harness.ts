import {
  type CommunityRole,
  entitlementsRpc,
  governanceRpc,
  identityRpc,
  type Proposal,
  type RpcRequest,
  type VoteTypedData,
} from '@coterie/contracts';
import { communityTokenAbi, smartWalletAbi, smartWalletBytecode } from '@coterie/contracts-abi';
import { devAccount, devChainDefinition, devTransport, evmMine } from '@coterie/contracts-abi/dev-chain';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type NatsConnection,
  type RpcClient,
  rpcEndpoint,
  startRpcService,
} from '@coterie/messaging';
import { dropNamespace, serviceEnvFor, testInfra, uniqueNamespace } from '@coterie/testing';
import {
  type Account,
  type Address,
  createWalletClient,
  getAddress,
  type Hex,
  type PrivateKeyAccount,
  parseEther,
  publicActions,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { type App, createApp } from '../../src/app.ts';
import { type Config, configSchema } from '../../src/config.ts';

export const E18 = 10n ** 18n;

/** What the fake entitlements and identity services answer (they run on the namespace's NATS subjects). */
export interface Directory {
  roles: Map<string, CommunityRole>;
  tierRanks: Map<string, number>;
  memberOfAddress: Map<string, string>;
  walletsOfMember: Map<string, Address[]>;
}

export interface GovernanceHarness {
  namespace: string;
  config: Config;
  app: App;
  rpc: RpcClient;
  nc: NatsConnection;
  clock: { offsetMs: number; now(): Date };
  directory: Directory;
  rpcUrl: string;
  token: Address;
  createProposal(
    input: Partial<RpcRequest<typeof governanceRpc.createProposal>> & {
      communityId: string;
      actorId: string;
    },
  ): Promise<Proposal>;
  /** Gets typed data from the service, signs it with `signer` (the voter itself, or a smart wallet's owner). */
  signVote(input: {
    communityId: string;
    proposalId: string;
    voter: Address;
    signer: Account;
    choice: unknown;
    reason?: string;
    tweak?: (t: VoteTypedData) => VoteTypedData;
  }): Promise<{ typedData: VoteTypedData; signature: Hex }>;
  vote(input: Parameters<GovernanceHarness['signVote']>[0]): ReturnType<GovernanceHarness['castSigned']>;
  castSigned(
    communityId: string,
    signed: { typedData: VoteTypedData; signature: Hex },
  ): Promise<{ vote: { voter: string; power: string; choice: string }; outcome: string }>;
  close(): Promise<void>;
}

/** The governance service in its own namespace, with fake entitlements/identity responders and the dev chain. */
export async function startGovernance(env: Record<string, string> = {}): Promise<GovernanceHarness> {
  const infra = testInfra();
  if (!infra.demo)
    throw new Error('governance integration tests need the dev chain started by the test setup');
  const namespace = uniqueNamespace('gov');
  const config = configSchema.parse({
    ...serviceEnvFor(namespace),
    GOVERNANCE_CLOSE_INTERVAL_MS: '200',
    ...env,
  });
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const app = createApp(config, { logger: createLogger({ name: 'governance', level: 'silent' }), clock });
  await app.start();
  const nc = await connectNats({ url: infra.natsUrl, name: 'governance-test' });
  const naming = createNaming(namespace);
  const rpc = createRpcClient(nc, naming, { timeoutMs: 15_000 });
  const directory: Directory = {
    roles: new Map(),
    tierRanks: new Map(),
    memberOfAddress: new Map(),
    walletsOfMember: new Map(),
  };
  const fakes = await startFakes(nc, namespace, directory);

  const h: GovernanceHarness = {
    namespace,
    config,
    app,
    rpc,
    nc,
    clock,
    directory,
    rpcUrl: infra.demo.rpcUrl,
    token: infra.demo.contracts.CommunityToken as Address,
    async createProposal(input) {
      const now = clock.now().getTime();
      const { proposal } = await rpc.call(governanceRpc.createProposal, {
        title: 'Fund the meetup',
        body: '## Why\nBecause.',
        choices: ['Yes', 'No', 'Abstain'],
        type: 'single-choice',
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 24 * 3_600_000).toISOString(),
        quorum: { kind: 'absolute', value: '0' },
        strategy: { kind: 'erc20-balance', params: { chainId: 31337, token: h.token } },
        ...input,
      });
      return proposal;
    },
    async signVote({ communityId, proposalId, voter, signer, choice, reason, tweak }) {
      let typedData = await rpc.call(governanceRpc.voteTypedData, {
        communityId,
        proposalId,
        voter,
        choice: choice as never,
        ...(reason ? { reason } : {}),
      });
      if (tweak) typedData = tweak(typedData);
      const signature = await (signer as PrivateKeyAccount).signTypedData({
        domain: { ...typedData.domain, salt: typedData.domain.salt as Hex },
        types: typedData.types,
        primaryType: 'Vote',
        message: { ...typedData.message, timestamp: BigInt(typedData.message.timestamp) },
      });
      return { typedData, signature };
    },
    async vote(input) {
      return h.castSigned(input.communityId, await h.signVote(input));
    },
    castSigned(communityId, { typedData, signature }) {
      return rpc.call(governanceRpc.castVote, {
        communityId,
        proposalId: typedData.message.proposalId,
        message: typedData.message,
        signature,
      });
    },
    async close() {
      await fakes.stop();
      await nc.close();
      await app.stop();
      await dropNamespace(namespace);
    },
  };
  return h;
}

async function startFakes(
  nc: NatsConnection,
  namespace: string,
  d: Directory,
): ReturnType<typeof startRpcService> {
  const naming = createNaming(namespace);
  const logger = createLogger({ name: 'fakes', level: 'silent' });
  const key = (communityId: string, memberId: string) => `${communityId}:${memberId}`;
  return startRpcService({
    nc,
    naming,
    logger,
    name: 'fakes',
    discoveryName: `${namespace}_fakes`,
    version: '0.0.0',
    endpoints: [
      rpcEndpoint(entitlementsRpc.check, async (req) => {
        const role = d.roles.get(key(req.communityId, req.memberId)) ?? null;
        const rank = d.tierRanks.get(key(req.communityId, req.memberId));
        return {
          allowed: role === 'owner' || role === 'admin' || (rank ?? 0) >= (req.minRank ?? 0),
          role,
          tier: rank ? { id: crypto.randomUUID(), name: `rank ${rank}`, rank } : null,
        };
      }),
      rpcEndpoint(identityRpc.memberByAddress, async (req) => ({
        memberId: d.memberOfAddress.get(req.address.toLowerCase()) ?? null,
      })),
      rpcEndpoint(identityRpc.getMember, async (req) => {
        const wallets = d.walletsOfMember.get(req.memberId);
        return {
          member: wallets
            ? {
                id: req.memberId,
                displayName: null,
                bio: null,
                avatarUrl: null,
                wallets,
                emails: [],
                createdAt: new Date().toISOString(),
              }
            : null,
        };
      }),
    ],
  });
}

/** A fresh key nobody else uses: its balances are exactly what the test gave it. */
export const freshAccount = () => privateKeyToAccount(generatePrivateKey());

/** Dev-chain writes: CTR from account #0 (the deployer), ETH for gas too (the dev chain funds only accounts #0–#9, and #1–#9 belong to other tests). */
export function chainOps(rpcUrl: string, token: Address) {
  const walletOf = (account: Account) =>
    createWalletClient({
      account,
      chain: devChainDefinition(rpcUrl),
      transport: devTransport(rpcUrl),
      pollingInterval: 50,
    }).extend(publicActions);
  // Other test files send from the same dev accounts: retry the rare nonce collision.
  const send = async (account: Account, fn: (w: ReturnType<typeof walletOf>) => Promise<Hex>) => {
    const w = walletOf(account);
    for (let attempt = 1; ; attempt++) {
      try {
        const hash = await fn(w);
        const receipt = await w.waitForTransactionReceipt({ hash });
        if (receipt.status !== 'success') throw new Error(`tx ${hash} reverted`);
        return receipt;
      } catch (error) {
        if (attempt >= 4 || !/nonce/i.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  };
  return {
    walletOf,
    transferCtr: (to: Address, amount: bigint, from: Account = devAccount(0)) =>
      send(from, (w) =>
        w.writeContract({
          address: token,
          abi: communityTokenAbi,
          functionName: 'transfer',
          args: [to, amount],
          account: from,
          chain: w.chain,
        }),
      ),
    fundEth: (to: Address, eth = '1') =>
      send(devAccount(0), (w) =>
        w.sendTransaction({ to, value: parseEther(eth), account: devAccount(0), chain: w.chain }),
      ),
    delegate: (holder: Account, delegatee: Address) =>
      send(holder, (w) =>
        w.writeContract({
          address: token,
          abi: communityTokenAbi,
          functionName: 'delegate',
          args: [delegatee],
          account: holder,
          chain: w.chain,
        }),
      ),
    deploySmartWallet: async (owner: Address): Promise<Address> => {
      const receipt = await send(devAccount(0), (w) =>
        w.deployContract({
          abi: smartWalletAbi,
          bytecode: smartWalletBytecode,
          args: [owner],
          account: devAccount(0),
          chain: w.chain,
        }),
      );
      return getAddress(receipt.contractAddress as Address);
    },
    mine: (blocks = 1) => evmMine(rpcUrl, blocks),
  };
}
