import { tippingRpc } from '@coterie/contracts';
import { devAccount } from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeDouble, startStripeDouble } from '../../../../tests/support/stripe-double.ts';
import { ledgerBalances } from '../../src/adapters/postgres/ledger-repository.ts';
import { applyStripeEvent, applyStripeEvents } from '../../src/application/apply-stripe-event.ts';
import { createFiatTip } from '../../src/application/create-fiat-tip.ts';
import { ledgerOfTip, startTipping, type TippingHarness } from './harness.ts';

let h: TippingHarness;
let stripe: StripeDouble;
const ids: Record<string, string> = {};
let communityId: string;
let otherCommunityId: string;
let unconnectedCommunityId: string;
const destinations = new Map<string, string>();

beforeAll(async () => {
  stripe = await startStripeDouble();
  const shared = JSON.parse(testInfra().chainsJson) as { chainId: number; rpcUrl: string }[];
  h = await startTipping({
    chains: [{ chainId: 31337, rpcUrl: (shared[0] as { rpcUrl: string }).rpcUrl, confirmations: 1 }],
    env: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      PLATFORM_FEE_BPS: '500',
    },
    connectedAccounts: { destinationFor: async (id) => destinations.get(id) ?? null },
  });
  const [owner, alice, bob, carol] = await Promise.all([1, 2, 3, 4].map((i) => h.signIn(devAccount(i))));
  Object.assign(ids, { owner: owner?.id, alice: alice?.id, bob: bob?.id, carol: carol?.id });
  communityId = h.createCommunity(ids.owner as string).id;
  otherCommunityId = h.createCommunity(ids.carol as string).id;
  unconnectedCommunityId = h.createCommunity(ids.carol as string).id;
  destinations.set(communityId, 'acct_1CreatorOfA');
  destinations.set(otherCommunityId, 'acct_1CreatorOfB');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await stripe?.close();
}, 30_000);

let seq = 0;
const tip = (over: Partial<Parameters<typeof h.rpc.call<typeof tippingRpc.createFiatTip>>[1]> = {}) =>
  h.rpc.call(tippingRpc.createFiatTip, {
    actorId: ids.alice as string,
    communityId,
    to: ids.bob as string,
    amount: { value: '1500', currency: 'usd' },
    idempotencyKey: `key-${++seq}`,
    ...over,
  });

function paymentIntent(id: string) {
  const pi = stripe.objects.get(id);
  if (!pi) throw new Error(`the double has no ${id}`);
  return pi;
}
const succeeded = (piId: string) => {
  const pi = paymentIntent(piId);
  return stripe.event('payment_intent.succeeded', { ...pi, status: 'succeeded', amount_received: pi.amount });
};
const refunded = (piId: string) => {
  const pi = paymentIntent(piId);
  return stripe.event('charge.refunded', {
    id: `ch_${piId.slice(3)}`,
    object: 'charge',
    payment_intent: piId,
    amount: pi.amount,
    amount_refunded: pi.amount,
    refunded: true,
    metadata: {},
  });
};
const piOf = (tipId: string) =>
  stripe.requests.filter(
    (r) => r.path === '/v1/payment_intents' && (r.body.metadata as Record<string, string>)?.tip_id === tipId,
  );
const getTip = async (tipId: string) => (await h.rpc.call(tippingRpc.getTip, { communityId, tipId })).tip;
const piIdOf = (tipId: string) =>
  [...stripe.objects.values()].find(
    (o) => o.object === 'payment_intent' && (o.metadata as Record<string, string>).tip_id === tipId,
  )?.id as string;

describe('fiat tips: PaymentIntent', () => {
  it('is a Connect destination charge with the platform fee, metadata and a per-tip idempotency key', async () => {
    const { tip: created, clientSecret } = await tip({ message: 'thanks!' });
    expect(created).toMatchObject({
      status: 'pending',
      rail: 'fiat',
      to: ids.bob,
      amount: { value: '1500', currency: 'usd' },
      message: 'thanks!',
    });
    expect(clientSecret).toMatch(/^pi_.+_secret_/);
    const [request] = piOf(created.id);
    expect(request?.body).toMatchObject({
      amount: '1500',
      currency: 'usd',
      application_fee_amount: '75', // 5 % of 15.00
      transfer_data: { destination: 'acct_1CreatorOfA' },
      metadata: { coterie_context: 'tipping', tip_id: created.id, community_id: communityId, to: ids.bob },
    });
    expect(request?.idempotencyKey).toBe(`coterie-tip-${created.id}`);

    // The same request again is the same tip and the same Stripe idempotency key.
    const again = await tip({ idempotencyKey: `key-${seq}` });
    expect(again.tip.id).toBe(created.id);
    expect(piOf(created.id).map((r) => r.idempotencyKey)).toEqual([
      `coterie-tip-${created.id}`,
      `coterie-tip-${created.id}`,
    ]);
  });

  it('the same request ten times at once (a client retrying in a hurry) is one tip and one PaymentIntent', async () => {
    const key = 'hurried-retries';
    const answers = await Promise.all(Array.from({ length: 10 }, () => tip({ idempotencyKey: key })));
    const tipIds = new Set(answers.map((a) => a.tip.id));
    expect(tipIds.size).toBe(1);
    const [tipId] = [...tipIds] as [string];
    expect(new Set(answers.map((a) => a.clientSecret)).size).toBe(1);
    const intents = [...stripe.objects.values()].filter(
      (o) => o.object === 'payment_intent' && (o.metadata as Record<string, string>).tip_id === tipId,
    );
    expect(intents).toHaveLength(1);
    // Paying it confirms the tip: the stored PaymentIntent is the one the client was given.
    await h.deliverStripeEvent(succeeded(intents[0]?.id as string));
    await eventually(async () => (await getTip(tipId)).status === 'confirmed');
  });

  it('rounds the fee down in minor units, also for zero-decimal currencies (JPY)', async () => {
    const { tip: created } = await tip({ amount: { value: '333', currency: 'jpy' } });
    expect(piOf(created.id)[0]?.body).toMatchObject({
      amount: '333',
      currency: 'jpy',
      application_fee_amount: '16',
    }); // 16.65 → 16
  });

  it('enforces per-currency limits, Stripe being configured, and a connected account', async () => {
    await expect(tip({ amount: { value: '99', currency: 'usd' } })).rejects.toMatchObject({
      code: 'amount_below_minimum',
      status: 400,
    });
    await expect(tip({ amount: { value: '100001', currency: 'usd' } })).rejects.toMatchObject({
      code: 'amount_above_maximum',
    });
    await expect(tip({ amount: { value: '500', currency: 'chf' } })).rejects.toMatchObject({
      code: 'currency_not_supported',
    });
    await expect(tip({ to: ids.alice as string })).rejects.toMatchObject({ code: 'cannot_tip_self' });
    await expect(tip({ communityId: unconnectedCommunityId, to: 'creator' })).rejects.toMatchObject({
      code: 'stripe_account_not_connected',
      status: 409,
    });
    const deps = h.app.deps;
    if (!deps) throw new Error('not started');
    await expect(
      createFiatTip(
        { ...deps, payments: undefined },
        {
          actorId: ids.alice as string,
          communityId,
          to: 'creator',
          amount: { value: '500', currency: 'usd' },
          idempotencyKey: 'x',
        },
      ),
    ).rejects.toMatchObject({ code: 'stripe_not_configured', status: 409 });
  });
});

describe('fiat tips: webhooks', () => {
  it('payment_intent.succeeded delivered 10 times credits once; charge.refunded reverses', async () => {
    const { tip: created } = await tip({ amount: { value: '2000', currency: 'usd' } });
    const event = succeeded(piIdOf(created.id));
    for (let i = 0; i < 10; i += 1) await h.deliverStripeEvent(event);
    await eventually(async () => (await getTip(created.id)).status === 'confirmed');
    await eventually(() => h.stripeConsumerIdle());
    const ledger = await ledgerOfTip(h.app, created.id);
    expect(ledger.transactionCount).toBe(1);
    expect(ledger.rows.map((r) => [r.account, r.amount])).toEqual([
      ['external:stripe', '-2000'],
      [`member:${ids.bob}`, '1900'],
      ['platform:fees', '100'],
    ]);
    const received = await eventually(async () => {
      const all = (await h.published('tipping.tip.received.v1')).filter((e) => e.data.tipId === created.id);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(received[0]?.data).toMatchObject({
      amount: { value: '2000', currency: 'usd' },
      fee: { value: '100', currency: 'usd' },
      to: ids.bob,
      from: ids.alice,
      kind: 'tip',
      rail: 'fiat',
    });

    const refund = refunded(piIdOf(created.id));
    for (let i = 0; i < 3; i += 1) await h.deliverStripeEvent(refund);
    await eventually(async () => (await getTip(created.id)).status === 'reversed');
    await eventually(() => h.stripeConsumerIdle());
    const after = await ledgerOfTip(h.app, created.id);
    expect(after.transactionCount).toBe(2);
    const net = new Map<string, bigint>();
    for (const r of after.rows) net.set(r.account, (net.get(r.account) ?? 0n) + BigInt(r.amount));
    expect([...net.values()].every((v) => v === 0n)).toBe(true);
    await eventually(
      async () =>
        (await h.published('tipping.tip.reversed.v1')).filter((e) => e.data.tipId === created.id).length ===
        1,
    );
  });

  it('a refund seen before the success leaves no credit; a failure then a success credits', async () => {
    const { tip: first } = await tip({ idempotencyKey: 'refund-first' });
    const pi = piIdOf(first.id);
    // The consumer works on several messages at once, so "before" is made certain by waiting.
    await h.deliverStripeEvent(refunded(pi));
    await eventually(async () => (await getTip(first.id)).status === 'reversed');
    const late = succeeded(pi);
    await h.deliverStripeEvent(late);
    await eventually(() => h.stripeEventHandled(late.id));
    expect((await getTip(first.id)).status).toBe('reversed');
    expect((await ledgerOfTip(h.app, first.id)).transactionCount).toBe(0);

    const { tip: second } = await tip({ idempotencyKey: 'fail-then-pay' });
    const pi2 = piIdOf(second.id);
    await h.deliverStripeEvent(
      stripe.event('payment_intent.payment_failed', {
        ...paymentIntent(pi2),
        last_payment_error: { code: 'card_declined' },
      }),
    );
    await eventually(async () => (await getTip(second.id)).status === 'failed');
    expect((await getTip(second.id)).reason).toBe('card_declined');
    await h.deliverStripeEvent(succeeded(pi2));
    await eventually(async () => (await getTip(second.id)).status === 'confirmed');
    expect((await h.published('tipping.tip.received.v1')).some((e) => e.data.tipId === first.id)).toBe(false);
  });
});

describe('fiat tips: webhooks in batches', () => {
  const inTrace = <T>(fn: () => Promise<T>) => fn();

  it('books the events of one tip in a batch in arrival order, and a duplicate in it once', async () => {
    const deps = h.app.deps;
    if (!deps) throw new Error('not started');
    const { tip: paidThenRefunded } = await tip({ idempotencyKey: 'batch-paid-refunded' });
    const { tip: refundedThenPaid } = await tip({ idempotencyKey: 'batch-refunded-paid' });
    const { tip: paidTwice } = await tip({ idempotencyKey: 'batch-paid-twice' });
    const pi1 = piIdOf(paidThenRefunded.id);
    const pi2 = piIdOf(refundedThenPaid.id);
    const paid3 = succeeded(piIdOf(paidTwice.id));
    const events = [succeeded(pi1), refunded(pi2), paid3, refunded(pi1), succeeded(pi2), paid3];
    await applyStripeEvents(
      deps,
      events.map((event) => ({ envelope: h.stripeEnvelope(event), inTrace })),
    );

    // As if applied one after the other: credited then reversed; reversed first, so never credited.
    expect((await getTip(paidThenRefunded.id)).status).toBe('reversed');
    expect((await ledgerOfTip(h.app, paidThenRefunded.id)).transactionCount).toBe(2);
    expect((await getTip(refundedThenPaid.id)).status).toBe('reversed');
    expect((await ledgerOfTip(h.app, refundedThenPaid.id)).transactionCount).toBe(0);
    expect((await getTip(paidTwice.id)).status).toBe('confirmed');
    expect((await ledgerOfTip(h.app, paidTwice.id)).transactionCount).toBe(1);
    for (const event of events) expect(await h.stripeEventHandled(event.id)).toBe(true);
    // Published after the commit (one wake for the batch).
    await eventually(async () => {
      const received = (await h.published('tipping.tip.received.v1')).map((e) => e.data.tipId);
      expect(received.filter((id) => id === paidThenRefunded.id)).toHaveLength(1);
      expect(received.filter((id) => id === paidTwice.id)).toHaveLength(1);
      expect(received).not.toContain(refundedThenPaid.id);
      return true;
    });

    // The same batch again (a redelivery after a lost ack) changes nothing.
    await applyStripeEvents(
      deps,
      events.map((event) => ({ envelope: h.stripeEnvelope(event), inTrace })),
    );
    expect((await ledgerOfTip(h.app, paidThenRefunded.id)).transactionCount).toBe(2);
    expect((await ledgerOfTip(h.app, paidTwice.id)).transactionCount).toBe(1);
  });

  it('credits payments booked together exactly as one by one: same ledger, line, event and tip', async () => {
    const deps = h.app.deps;
    if (!deps) throw new Error('not started');
    const { tip: alone } = await tip({ idempotencyKey: 'bulk-vs-alone-1' });
    const together = await Promise.all(
      ['bulk-vs-alone-2', 'bulk-vs-alone-3'].map(async (key) => (await tip({ idempotencyKey: key })).tip),
    );
    await applyStripeEvent(deps, h.stripeEnvelope(succeeded(piIdOf(alone.id))));
    await applyStripeEvents(
      deps,
      together.map((t) => ({ envelope: h.stripeEnvelope(succeeded(piIdOf(t.id))), inTrace })),
    );
    const entries = async (tipId: string) =>
      (await ledgerOfTip(h.app, tipId)).rows.map(({ kind, account, asset, amount }) => ({
        kind,
        account,
        asset,
        amount,
      }));
    const lines = async (tipId: string) =>
      (
        await deps.pool.query(
          `SELECT l.line_no, l.to_recipient, l.asset, l.decimals, l.amount, l.credit_id IS NOT NULL AS credited,
                  l.credit_id = t.id AS credit_is_ledger_tx
           FROM tip_lines l LEFT JOIN ledger_transactions t ON t.id = l.credit_id WHERE l.tip_id = $1`,
          [tipId],
        )
      ).rows;
    const expected = {
      entries: await entries(alone.id),
      lines: await lines(alone.id),
      tip: await getTip(alone.id),
    };
    expect(expected.entries.length).toBeGreaterThan(1);
    expect(expected.lines).toEqual([expect.objectContaining({ credited: true, credit_is_ledger_tx: true })]);
    const { id: _id, confirmedAt: _at, ...tipFields } = expected.tip as Record<string, unknown>;
    for (const t of together) {
      expect(await entries(t.id)).toEqual(expected.entries);
      expect(await lines(t.id)).toEqual(expected.lines);
      const booked = (await getTip(t.id)) as Record<string, unknown>;
      expect(booked.confirmedAt).toEqual(expect.any(String));
      expect(booked.status).toBe(tipFields.status);
    }
    await eventually(async () => {
      const received = await h.published('tipping.tip.received.v1');
      const shape = (tipId: string) => {
        const event = received.find((e) => e.data.tipId === tipId);
        if (!event) return undefined;
        const { tipId: _t, creditId: _c, occurredAt: _o, ...rest } = event.data as Record<string, unknown>;
        return rest;
      };
      expect(shape(alone.id)).toBeDefined();
      for (const t of together) expect(shape(t.id)).toEqual(shape(alone.id));
      return true;
    });
  });

  it('keeps nothing of a batch that fails: its events are still unclaimed', async () => {
    const deps = h.app.deps;
    if (!deps) throw new Error('not started');
    const { tip: created } = await tip({ idempotencyKey: 'batch-rolled-back' });
    const { tip: other } = await tip({ idempotencyKey: 'batch-rolled-back-bad' });
    const good = succeeded(piIdOf(created.id));
    const bad = stripe.event('payment_intent.succeeded', {
      ...paymentIntent(piIdOf(other.id)),
      amount: 0,
      amount_received: 0,
    });
    await expect(
      applyStripeEvents(
        deps,
        [good, bad].map((event) => ({ envelope: h.stripeEnvelope(event), inTrace })),
      ),
    ).rejects.toThrow(/without amount/);
    expect((await getTip(created.id)).status).toBe('pending');
    expect(await h.stripeEventHandled(good.id)).toBe(false);
    expect(await h.stripeEventHandled(bad.id)).toBe(false);
  });

  it('credits a burst of webhooks delivered at once, with duplicates, exactly once each', async () => {
    const tips = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => (await tip({ idempotencyKey: `burst-${i}` })).tip),
    );
    const events = tips.map((t) => succeeded(piIdOf(t.id)));
    // The first ten twice (no broker dedupe): only the inbox stands between them and a double credit.
    await Promise.all([...events, ...events.slice(0, 10)].map((event) => h.deliverStripeEvent(event)));
    await eventually(
      async () => (await Promise.all(tips.map((t) => getTip(t.id)))).every((t) => t.status === 'confirmed'),
      { timeoutMs: 20_000 },
    );
    await eventually(() => h.stripeConsumerIdle());
    for (const t of tips) expect((await ledgerOfTip(h.app, t.id)).transactionCount).toBe(1);
  });
});

describe('fiat rewards', () => {
  it('an owner rewards a member: booked as owed by the treasury, payout pending', async () => {
    const { tip: reward } = await h.rpc.call(tippingRpc.rewardMember, {
      actorId: ids.owner as string,
      communityId,
      to: ids.carol as string,
      amount: { value: '2500', currency: 'usd' },
      message: 'great moderation',
      idempotencyKey: 'reward-1',
    });
    expect(reward).toMatchObject({
      kind: 'reward',
      status: 'confirmed',
      from: ids.owner,
      to: ids.carol,
      payout: { status: 'pending', reason: 'no_payout_method' },
    });
    const deps = h.app.deps;
    if (!deps) throw new Error('not started');
    expect(await ledgerBalances(deps.pool, `member:${ids.carol}`)).toEqual([
      { account: `member:${ids.carol}`, asset: 'fiat:usd', balance: 2500n },
    ]);
    expect(await ledgerBalances(deps.pool, `community:${communityId}`)).toEqual([
      { account: `community:${communityId}:treasury`, asset: 'fiat:usd', balance: -2500n },
    ]);
  });

  it('only owners/admins of that community may reward', async () => {
    const reward = (actorId: string, community: string) =>
      h.rpc.call(tippingRpc.rewardMember, {
        actorId,
        communityId: community,
        to: ids.bob as string,
        amount: { value: '500', currency: 'usd' },
        idempotencyKey: `r-${actorId}-${community}`,
      });
    await expect(reward(ids.alice as string, communityId)).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    // The owner of A is nobody in B.
    await expect(reward(ids.owner as string, otherCommunityId)).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    h.setRole(communityId, ids.alice as string, 'admin');
    await expect(reward(ids.alice as string, communityId)).resolves.toMatchObject({
      tip: { kind: 'reward' },
    });
  });
});

describe('feed and leaderboard', () => {
  it('pages through confirmed tips and ranks per asset without mixing currencies', async () => {
    const { tip: jpy } = await tip({
      amount: { value: '1000', currency: 'jpy' },
      to: 'creator',
      actorId: ids.carol as string,
    });
    await h.deliverStripeEvent(succeeded(piIdOf(jpy.id)));
    await eventually(async () => (await getTip(jpy.id)).status === 'confirmed');

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.rpc.call(tippingRpc.listTips, {
        communityId,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((t) => t.id));
      expect(page.items.every((t) => t.status === 'confirmed')).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen[0]).toBe(jpy.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(4); // the paid tip, the jpy tip, two rewards

    const board = await h.rpc.call(tippingRpc.leaderboard, { communityId, period: 'week' });
    expect(board.since).not.toBeNull();
    const byAsset = new Map(
      board.assets.map((a) => [a.asset.type === 'fiat' ? a.asset.currency : 'token', a]),
    );
    expect(byAsset.get('jpy')).toMatchObject({
      recipients: [{ to: 'creator', total: { value: '1000', currency: 'jpy' }, count: 1 }],
      tippers: [{ memberId: ids.carol, total: { value: '1000', currency: 'jpy' } }],
    });
    expect(byAsset.get('usd')?.recipients[0]).toMatchObject({ to: ids.bob, total: { currency: 'usd' } });
  });
});
