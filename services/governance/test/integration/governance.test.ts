import { randomUUID } from 'node:crypto';
import { governanceRpc, membershipGrantedV1, proposalClosedV1 } from '@coterie/contracts';
import { createPool, schemaNameFor } from '@coterie/db';
import { eventually } from '@coterie/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { uuidv7 } from 'uuidv7';
import { createPublicClient, http, keccak256, stringToBytes } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVotingPower } from '../../src/adapters/chain/read-voting-power.ts';
import { closeDueProposals } from '../../src/application/close-due-proposals.ts';
import { chainOps, E18, freshAccount, type GovernanceHarness, startGovernance } from './harness.ts';

let h: GovernanceHarness;
let ops: ReturnType<typeof chainOps>;
const communityId = randomUUID();
const adminId = randomUUID();
// Fresh keys: balances are exactly what this file gives them.
const alice = freshAccount(); // 100 CTR, has ETH (sends after the snapshot)
const bob = freshAccount(); // 40 CTR
const carol = freshAccount(); // 7 CTR
const dave = freshAccount(); // 200 CTR, delegates to himself (erc20-votes)
const erin = freshAccount(); // 300 CTR, never delegates
const nobody = freshAccount(); // no tokens

beforeAll(async () => {
  h = await startGovernance();
  ops = chainOps(h.rpcUrl, h.token);
  h.directory.roles.set(`${communityId}:${adminId}`, 'admin');
  await ops.transferCtr(alice.address, 100n * E18);
  await ops.transferCtr(bob.address, 40n * E18);
  await ops.transferCtr(carol.address, 7n * E18);
  await ops.transferCtr(dave.address, 200n * E18);
  await ops.transferCtr(erin.address, 300n * E18);
  await ops.fundEth(alice.address);
  await ops.fundEth(dave.address);
  await ops.delegate(dave, dave.address);
  await ops.mine(2);
});
afterAll(() => h?.close());

describe('proposals and signed votes (erc20-balance)', () => {
  let proposalId: string;

  it('creates a proposal with the snapshot block (latest − confirmations); power is the balance there', async () => {
    const latest = await ops.walletOf(alice).getBlockNumber({ cacheTime: 0 });
    const proposal = await h.createProposal({
      communityId,
      actorId: adminId,
      quorum: { kind: 'absolute', value: (120n * E18).toString() },
    });
    proposalId = proposal.id;
    expect(proposal).toMatchObject({
      chainId: 31337,
      snapshotBlock: (latest - 1n).toString(),
      status: 'active',
      quorumRequired: (120n * E18).toString(),
      tally: { unit: 'power', scores: ['0', '0', '0'], totalPower: '0', votes: 0 },
      quorumReached: false,
      myVote: null,
    });

    // Moved after the snapshot: the sender keeps the snapshot power, the receiver gains nothing.
    await ops.transferCtr(bob.address, 50n * E18, alice);
    await ops.mine();
    const a = await h.vote({ communityId, proposalId, voter: alice.address, signer: alice, choice: 1 });
    expect(a).toMatchObject({
      outcome: 'created',
      vote: { voter: alice.address, choice: '1', power: `${100n * E18}` },
    });
    const b = await h.vote({ communityId, proposalId, voter: bob.address, signer: bob, choice: '2' });
    expect(b.vote.power).toBe(`${40n * E18}`);

    const { proposal: live } = await h.rpc.call(governanceRpc.getProposal, {
      communityId,
      proposalId,
      viewerAddresses: [alice.address],
    });
    expect(live.tally).toEqual({
      unit: 'power',
      scores: [`${100n * E18}`, `${40n * E18}`, '0'],
      totalPower: `${140n * E18}`,
      votes: 2,
    });
    expect(live.quorumReached).toBe(true);
    expect(live.myVote).toMatchObject({ voter: alice.address, choice: '1' });
  });

  it('the same signed vote twice is idempotent; a later vote replaces the earlier; an older one is stale', async () => {
    const first = await h.signVote({
      communityId,
      proposalId,
      voter: carol.address,
      signer: carol,
      choice: 1,
    });
    expect((await h.castSigned(communityId, first)).outcome).toBe('created');
    expect((await h.castSigned(communityId, first)).outcome).toBe('duplicate');
    const later = await h.signVote({
      communityId,
      proposalId,
      voter: carol.address,
      signer: carol,
      choice: 3,
      reason: 'changed my mind',
      tweak: (t) => ({ ...t, message: { ...t.message, timestamp: first.typedData.message.timestamp + 1 } }),
    });
    expect(await h.castSigned(communityId, later)).toMatchObject({
      outcome: 'replaced',
      vote: { choice: '3', power: `${7n * E18}` },
    });
    await expect(h.castSigned(communityId, first)).rejects.toMatchObject({ code: 'vote_stale', status: 409 });

    const { items } = await h.rpc.call(governanceRpc.listVotes, { communityId, proposalId, limit: 10 });
    expect(items).toHaveLength(3);
    const carolVote = items.find((v) => v.voter === carol.address);
    expect(carolVote).toMatchObject({ choice: '3', reason: 'changed my mind', signature: later.signature });
    // Anyone can re-verify what is listed.
    if (!carolVote) throw new Error('no vote listed for carol');
    const { domain, message } = carolVote.typedData;
    const ok = await ops.walletOf(carol).verifyTypedData({
      address: carol.address,
      domain: { ...domain, salt: domain.salt as `0x${string}` },
      types: carolVote.typedData.types,
      primaryType: 'Vote',
      message: { ...message, timestamp: BigInt(message.timestamp) },
      signature: carolVote.signature as `0x${string}`,
    });
    expect(ok).toBe(true);
    const { proposal } = await h.rpc.call(governanceRpc.getProposal, { communityId, proposalId });
    expect(proposal.tally.scores).toEqual([`${100n * E18}`, `${40n * E18}`, `${7n * E18}`]);
  });

  it('refuses with clear codes', async () => {
    const other = await h.createProposal({ communityId, actorId: adminId });
    const refuse = async (promise: Promise<unknown>, code: string) =>
      expect(promise).rejects.toMatchObject({ code });

    // A signature by someone else.
    const forged = await h.signVote({
      communityId,
      proposalId,
      voter: bob.address,
      signer: carol,
      choice: 1,
    });
    await refuse(h.castSigned(communityId, forged), 'vote_signature_invalid');
    // Signed for another proposal, posted to this one.
    const forOther = await h.signVote({
      communityId,
      proposalId: other.id,
      voter: bob.address,
      signer: bob,
      choice: 1,
    });
    await refuse(
      h.rpc.call(governanceRpc.castVote, {
        communityId,
        proposalId,
        message: forOther.typedData.message,
        signature: forOther.signature,
      }),
      'vote_proposal_mismatch',
    );
    // Signed in another community's domain, or another chain's.
    for (const domainTweak of [{ salt: keccak256(stringToBytes(randomUUID())) }, { chainId: 1 }]) {
      const signed = await h.signVote({
        communityId,
        proposalId,
        voter: bob.address,
        signer: bob,
        choice: 1,
        tweak: (t) => ({ ...t, domain: { ...t.domain, ...domainTweak } }),
      });
      await refuse(h.castSigned(communityId, signed), 'vote_signature_invalid');
      await refuse(
        h.rpc.call(governanceRpc.castVote, {
          communityId,
          proposalId,
          message: signed.typedData.message,
          signature: signed.signature,
          domain: signed.typedData.domain,
        }),
        'vote_domain_mismatch',
      );
    }
    // Choices out of range, through typed data and in a signed message.
    await refuse(
      h.rpc.call(governanceRpc.voteTypedData, { communityId, proposalId, voter: bob.address, choice: 4 }),
      'choice_invalid',
    );
    const outOfRange = await h.signVote({
      communityId,
      proposalId,
      voter: bob.address,
      signer: bob,
      choice: 1,
      tweak: (t) => ({ ...t, message: { ...t.message, choice: '9' } }),
    });
    await refuse(h.castSigned(communityId, outOfRange), 'choice_invalid');
    // No power at the snapshot, a stale timestamp, and an unknown proposal.
    await refuse(
      h.vote({ communityId, proposalId, voter: nobody.address, signer: nobody, choice: 1 }),
      'no_voting_power',
    );
    const old = await h.signVote({
      communityId,
      proposalId,
      voter: bob.address,
      signer: bob,
      choice: 1,
      tweak: (t) => ({ ...t, message: { ...t.message, timestamp: t.message.timestamp - 3_600 } }),
    });
    await refuse(h.castSigned(communityId, old), 'vote_timestamp_skew');
    await refuse(
      h.rpc.call(governanceRpc.getProposal, { communityId: randomUUID(), proposalId }),
      'proposal_not_found',
    );
    // Not started yet.
    const later = await h.createProposal({
      communityId,
      actorId: adminId,
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await refuse(
      h.rpc.call(governanceRpc.voteTypedData, {
        communityId,
        proposalId: later.id,
        voter: bob.address,
        choice: 1,
      }),
      'voting_not_started',
    );
  });

  it('approval tally; a percent-of-supply quorum not reached', async () => {
    const proposal = await h.createProposal({
      communityId,
      actorId: adminId,
      type: 'approval',
      quorum: { kind: 'percent-of-supply', bps: 5_000 },
    });
    expect(proposal.quorumRequired).toBe(`${500_000n * E18}`);
    // After alice's transfer: alice 50, bob 90.
    await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: alice.address,
      signer: alice,
      choice: [1, 2],
    });
    await h.vote({ communityId, proposalId: proposal.id, voter: bob.address, signer: bob, choice: '[2]' });
    const { proposal: live } = await h.rpc.call(governanceRpc.getProposal, {
      communityId,
      proposalId: proposal.id,
    });
    expect(live.tally).toEqual({
      unit: 'power',
      scores: [`${50n * E18}`, `${140n * E18}`, '0'],
      totalPower: `${140n * E18}`,
      votes: 2,
    });
    expect(live.quorumReached).toBe(false);
  });
});

describe('quadratic', () => {
  it('scores ⌊√power⌋ split by the weights (largest remainder), with 18-decimal balances', async () => {
    const proposal = await h.createProposal({ communityId, actorId: adminId, type: 'quadratic' });
    // ⌊√(50e18)⌋ = 7 071 067 811, all to choice 1.
    await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: alice.address,
      signer: alice,
      choice: { 1: 1 },
    });
    // ⌊√(200e18)⌋ = 14 142 135 623, split 1:1 → 7 071 067 812 (the odd unit, tie → choice 1) + 7 071 067 811.
    const d = await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: dave.address,
      signer: dave,
      choice: '{"2":1,"1":1}',
    });
    expect(d.vote.choice).toBe('{"1":1,"2":1}');
    const { proposal: live } = await h.rpc.call(governanceRpc.getProposal, {
      communityId,
      proposalId: proposal.id,
    });
    expect(live.tally).toEqual({
      unit: 'sqrt-power',
      scores: ['14142135623', '7071067811', '0'],
      totalPower: `${250n * E18}`,
      votes: 2,
    });
  });
});

describe('strategies', () => {
  it('erc20-votes: undelegated tokens have no power; delegation before the snapshot counts', async () => {
    const proposal = await h.createProposal({
      communityId,
      actorId: adminId,
      strategy: { kind: 'erc20-votes', params: { chainId: 31337, token: h.token } },
      // 1 bp of getPastTotalSupply (1,000,000 CTR) = 100 CTR.
      quorum: { kind: 'percent-of-supply', bps: 1 },
    });
    expect(proposal.quorumRequired).toBe(`${100n * E18}`);
    const d = await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: dave.address,
      signer: dave,
      choice: 2,
    });
    expect(d.vote.power).toBe(`${200n * E18}`);
    await expect(
      h.vote({ communityId, proposalId: proposal.id, voter: erin.address, signer: erin, choice: 2 }),
    ).rejects.toMatchObject({ code: 'no_voting_power' });
    const { proposal: live } = await h.rpc.call(governanceRpc.getProposal, {
      communityId,
      proposalId: proposal.id,
    });
    expect(live.quorumReached).toBe(true);
  });

  it('ERC-1271: a smart wallet holding tokens votes with its owner’s signature', async () => {
    const owner = freshAccount();
    const wallet = await ops.deploySmartWallet(owner.address);
    await ops.transferCtr(wallet, 12n * E18);
    await ops.mine();
    const proposal = await h.createProposal({ communityId, actorId: adminId });
    await expect(
      h.vote({ communityId, proposalId: proposal.id, voter: wallet, signer: freshAccount(), choice: 1 }),
    ).rejects.toMatchObject({ code: 'vote_signature_invalid' });
    const result = await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: wallet,
      signer: owner,
      choice: 1,
    });
    expect(result.vote).toMatchObject({ voter: wallet, power: `${12n * E18}` });
  });

  it('tier-member: a member holding the tier at creation votes with power 1 from a linked wallet', async () => {
    const memberId = randomUUID();
    const wallet = freshAccount();
    h.directory.memberOfAddress.set(wallet.address.toLowerCase(), memberId);
    // The fact arrives as entitlements publishes it (e.g. after a Stripe subscription).
    const js = jetstream(h.nc);
    const eventId = uuidv7();
    await js.publish(
      `${h.namespace}.${membershipGrantedV1.subject}`,
      JSON.stringify({
        id: eventId,
        type: membershipGrantedV1.type,
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'entitlements',
        communityId,
        correlationId: eventId,
        data: {
          communityId,
          memberId,
          version: 1,
          tier: { id: randomUUID(), name: 'Supporter', rank: 2 },
          via: [{ type: 'subscription' }],
        },
      }),
      { msgID: eventId },
    );
    const pool = createPool({
      connectionString: h.config.DATABASE_URL,
      schema: schemaNameFor('governance', h.namespace),
    });
    try {
      await eventually(
        async () =>
          (await pool.query('SELECT 1 FROM member_tiers WHERE member_id = $1', [memberId])).rowCount === 1,
      );
    } finally {
      await pool.end();
    }
    const proposal = await h.createProposal({
      communityId,
      actorId: adminId,
      strategy: { kind: 'tier-member', params: { minRank: 2 } },
      quorum: { kind: 'percent-of-supply', bps: 10_000 },
    });
    expect(proposal.quorumRequired).toBe('1');
    const result = await h.vote({
      communityId,
      proposalId: proposal.id,
      voter: wallet.address,
      signer: wallet,
      choice: 2,
    });
    expect(result.vote.power).toBe('1');
    await expect(
      h.vote({ communityId, proposalId: proposal.id, voter: bob.address, signer: bob, choice: 1 }),
    ).rejects.toMatchObject({ code: 'not_eligible_member' });
    const { proposal: live } = await h.rpc.call(governanceRpc.getProposal, {
      communityId,
      proposalId: proposal.id,
    });
    expect(live.tally.scores).toEqual(['0', '1', '0']);
    expect(live.quorumReached).toBe(true);
  });

  it('reads the power of 50 voters in ≤ 2 RPC calls (multicall at the snapshot block)', async () => {
    let calls = 0;
    const client = createPublicClient({
      transport: http(h.rpcUrl, { onFetchRequest: () => void calls++ }),
      chain: ops.walletOf(alice).chain,
    });
    const snapshotBlock = (await client.getBlockNumber({ cacheTime: 0 })) - 1n;
    calls = 0;
    const addresses = [
      alice.address,
      dave.address,
      ...Array.from({ length: 48 }, () => freshAccount().address),
    ];
    const powers = await readVotingPower(client, {
      strategy: { kind: 'erc20-balance', params: { chainId: 31337, token: h.token } },
      snapshotBlock,
      addresses,
    });
    expect(calls).toBeLessThanOrEqual(2);
    expect(powers).toHaveLength(50);
    expect(powers.slice(0, 2)).toEqual([50n * E18, 200n * E18]);
    expect(powers.slice(2).every((p) => p === 0n)).toBe(true);
  });
});

describe('who may propose', () => {
  it('owners/admins by default; then anyone with enough voting power once configured', async () => {
    const memberId = randomUUID();
    h.directory.roles.set(`${communityId}:${memberId}`, 'member');
    h.directory.walletsOfMember.set(memberId, [dave.address]);
    await expect(h.createProposal({ communityId, actorId: memberId })).rejects.toMatchObject({
      code: 'proposer_not_allowed',
      status: 403,
    });
    const settings = {
      proposers: {
        kind: 'voting-power' as const,
        min: `${150n * E18}`,
        strategy: { kind: 'erc20-balance' as const, params: { chainId: 31337, token: h.token } },
      },
    };
    await expect(
      h.rpc.call(governanceRpc.setSettings, { actorId: memberId, communityId, settings }),
    ).rejects.toMatchObject({ code: 'not_community_admin' });
    await h.rpc.call(governanceRpc.setSettings, { actorId: adminId, communityId, settings });
    expect((await h.rpc.call(governanceRpc.getSettings, { communityId })).settings).toEqual(settings);
    await expect(h.createProposal({ communityId, actorId: memberId })).resolves.toMatchObject({
      createdBy: memberId,
    });
  });
});

describe('closing', () => {
  it('refuses votes after the end and publishes the final result exactly once', async () => {
    const proposal = await h.createProposal({
      communityId,
      actorId: adminId,
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      quorum: { kind: 'absolute', value: `${10n * E18}` },
    });
    await h.vote({ communityId, proposalId: proposal.id, voter: dave.address, signer: dave, choice: 2 });
    const late = await h.signVote({
      communityId,
      proposalId: proposal.id,
      voter: bob.address,
      signer: bob,
      choice: 1,
    });
    h.clock.offsetMs = 2 * 3_600_000;
    try {
      const lateAgain = {
        ...late,
        typedData: {
          ...late.typedData,
          message: { ...late.typedData.message, timestamp: Math.floor(h.clock.now().getTime() / 1000) },
        },
      };
      await expect(h.castSigned(communityId, lateAgain)).rejects.toMatchObject({
        code: 'voting_closed',
        status: 409,
      });
      // The loop (every 200 ms) and two extra "replicas" race to close it.
      const deps = h.app.deps;
      if (!deps) throw new Error('not started');
      await Promise.all([closeDueProposals(deps), closeDueProposals(deps)]);
      // The loop may hold the row (SKIP LOCKED hands it to one closer) and commit a moment after
      // both calls return, so wait for the close to be stored rather than read once.
      const closed = await eventually(async () => {
        const { proposal: read } = await h.rpc.call(governanceRpc.getProposal, {
          communityId,
          proposalId: proposal.id,
        });
        if (read.closedAt === null) throw new Error('not closed yet');
        return read;
      });
      expect(closed).toMatchObject({
        status: 'closed',
        quorumReached: true,
      });
      expect(closed.closedAt).not.toBeNull();
      expect(closed.tally.scores).toEqual(['0', `${200n * E18}`, '0']);
    } finally {
      h.clock.offsetMs = 0;
    }
    // Exactly one closed event on the stream (the only proposal of this namespace that ended),
    // still one after a few more closer-loop ticks.
    const jsm = await jetstreamManager(h.nc);
    const stream = `${h.namespace}_GOVERNANCE`;
    const subject = `${h.namespace}.${proposalClosedV1.subject}`;
    const closedCount = async () =>
      (await jsm.streams.info(stream, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
    await eventually(async () => (await closedCount()) >= 1);
    await new Promise((r) => setTimeout(r, 3 * 200));
    expect(await closedCount()).toBe(1);
    const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    const found = [proposalClosedV1.parse(last?.json())];
    expect(found[0]?.data.proposalId).toBe(proposal.id);
    expect(found).toHaveLength(1);
    expect(found[0]?.data).toMatchObject({ winners: [2], quorumReached: true, tally: { votes: 1 } });
  });
});
