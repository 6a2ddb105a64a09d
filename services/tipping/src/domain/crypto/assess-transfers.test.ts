import { getAddress, type Hex, pad } from 'viem';
import { describe, expect, it } from 'vitest';
import { type AssessInput, assessTransfers, TRANSFER_TOPIC } from './assess-transfers.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const FAKE = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const ALICE = '0x70997970C51812dc3A010C7d01b50e20d17dc79C';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const TREASURY = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
const MULTICALL = '0xcA11bde05977b3631167028862bE2a173976CA11';

const transferLog = (token: string, from: string, to: string, amount: bigint, logIndex: number) => ({
  address: token,
  topics: [TRANSFER_TOPIC, pad(from as Hex), pad(to as Hex)] as Hex[],
  data: pad(`0x${amount.toString(16)}`) as Hex,
  logIndex,
});

const base = (over: Partial<AssessInput> = {}): AssessInput => ({
  claimedChainId: 31337,
  tx: { chainId: 31337, from: ALICE, to: TOKEN, value: 0n },
  receipt: { status: 'success', logs: [transferLog(TOKEN, ALICE, BOB, 5n, 0)] },
  allowed: [
    { token: TOKEN, decimals: 18, min: 2n },
    { token: 'native', decimals: 18, min: 2n },
  ],
  senders: new Set([ALICE]),
  sendersReason: 'not_your_wallet',
  recipientOf: (a) =>
    ({
      [getAddress(BOB)]: 'bob',
      [getAddress(CAROL)]: 'carol',
      [getAddress(TREASURY)]: 'creator',
      [getAddress(ALICE)]: 'alice',
    })[a],
  self: 'alice',
  ...over,
});

describe('assessTransfers', () => {
  it('accepts an allow-listed ERC-20 Transfer to a member', () => {
    expect(assessTransfers(base())).toEqual({
      ok: true,
      lines: [
        {
          logIndex: 0,
          token: getAddress(TOKEN),
          decimals: 18,
          from: getAddress(ALICE),
          toAddress: getAddress(BOB),
          to: 'bob',
          amount: 5n,
        },
      ],
    });
  });

  it('accepts a native transfer to the treasury as a tip to the creator', () => {
    const r = assessTransfers(
      base({
        tx: { chainId: 31337, from: ALICE, to: TREASURY, value: 7n },
        receipt: { status: 'success', logs: [] },
      }),
    );
    expect(r).toMatchObject({
      ok: true,
      lines: [{ logIndex: null, token: 'native', to: 'creator', amount: 7n }],
    });
  });

  it('credits each matching log of a batch sent by the submitter (log.from = Multicall3)', () => {
    const logs = [transferLog(TOKEN, MULTICALL, BOB, 3n, 1), transferLog(TOKEN, MULTICALL, CAROL, 4n, 2)];
    const r = assessTransfers(
      base({
        tx: { chainId: 31337, from: ALICE, to: MULTICALL, value: 0n },
        receipt: { status: 'success', logs },
      }),
    );
    expect(r.ok && r.lines.map((l) => [l.to, l.amount])).toEqual([
      ['bob', 3n],
      ['carol', 4n],
    ]);
  });

  it('rejects with the reason of the furthest check reached', () => {
    expect(assessTransfers(base({ tx: { chainId: 1, from: ALICE, to: TOKEN, value: 0n } }))).toEqual({
      ok: false,
      reason: 'wrong_chain',
    });
    expect(assessTransfers(base({ receipt: { status: 'reverted', logs: [] } }))).toEqual({
      ok: false,
      reason: 'tx_failed',
    });
    expect(assessTransfers(base({ receipt: { status: 'success', logs: [] } }))).toEqual({
      ok: false,
      reason: 'no_transfer',
    });
    expect(
      assessTransfers(base({ receipt: { status: 'success', logs: [transferLog(FAKE, ALICE, BOB, 5n, 0)] } })),
    ).toEqual({
      ok: false,
      reason: 'wrong_token_contract',
    });
    expect(assessTransfers(base({ intended: 'carol' }))).toEqual({ ok: false, reason: 'wrong_recipient' });
    expect(
      assessTransfers(
        base({ receipt: { status: 'success', logs: [transferLog(TOKEN, ALICE, ALICE, 5n, 0)] } }),
      ),
    ).toEqual({
      ok: false,
      reason: 'wrong_recipient',
    });
    expect(assessTransfers(base({ senders: new Set([CAROL]) }))).toEqual({
      ok: false,
      reason: 'not_your_wallet',
    });
    expect(
      assessTransfers(base({ senders: new Set([CAROL]), sendersReason: 'not_treasury_wallet' })),
    ).toEqual({
      ok: false,
      reason: 'not_treasury_wallet',
    });
    expect(
      assessTransfers(
        base({ receipt: { status: 'success', logs: [transferLog(TOKEN, ALICE, BOB, 1n, 0)] } }),
      ),
    ).toEqual({
      ok: false,
      reason: 'below_minimum',
    });
  });

  it('ignores ERC-721 Transfer logs (4 topics) even from an allow-listed address', () => {
    const nft = {
      ...transferLog(TOKEN, ALICE, BOB, 0n, 0),
      topics: [...transferLog(TOKEN, ALICE, BOB, 0n, 0).topics, pad('0x07')] as Hex[],
      data: '0x' as Hex,
    };
    expect(assessTransfers(base({ receipt: { status: 'success', logs: [nft] } }))).toEqual({
      ok: false,
      reason: 'no_transfer',
    });
  });
});
