import http from 'node:http';
import { tippingRpc } from '@coterie/contracts';
import { connectNats, createNaming, createRpcClient } from '@coterie/messaging';
import pg from 'pg';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startProcessPlatform } from '../../../tests/support/process-platform.ts';
import { startStripeDouble } from '../../../tests/support/stripe-double.ts';
import { gatewayApi } from '../support/gateway-api.ts';
import { signInOverHttp } from '../support/siwe-client.ts';
import type { BenchInfraUrls } from './bench-platform.ts';
import { cpuMicros } from './cpu.ts';
import type { BenchRow } from './table.ts';

const ORIGIN = 'http://localhost:3000';

/**
 * DESIGN §7: N signed `payment_intent.succeeded` webhooks posted to the gateway → tipping's
 * ledger → `tipping.tip.received.v1` → analytics' projection; seconds until the last one lands
 * everywhere, and exactly one credit each. Stripe's API is the local double (as in the tests).
 * Every service and the gateway run as processes of their own, as deployed: in one process they
 * would share one event loop (one core) with the load generator.
 */
export async function benchTipWebhooks(infra: BenchInfraUrls, count = 10_000): Promise<BenchRow[]> {
  const stripe = await startStripeDouble();
  const platform = await startProcessPlatform({
    databaseUrl: infra.databaseUrl,
    natsUrl: infra.natsUrl,
    chainsJson: infra.chainsJson,
    namespace: `${infra.namespace}_tips`,
    env: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      // Sized for a burst as infra/README.md says (a consumer holds a connection per message).
      DATABASE_POOL_MAX: '24',
    },
  });
  const namespace = platform.namespace;
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-tips' });
  const rpc = createRpcClient(nc, createNaming(namespace), { timeoutMs: 30_000 });
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 2 });
  try {
    const api = gatewayApi(platform.gatewayUrl, ORIGIN);
    const signIn = () =>
      signInOverHttp(platform.gatewayUrl, privateKeyToAccount(generatePrivateKey()), ORIGIN);
    const [owner, alice, bob] = [await signIn(), await signIn(), await signIn()];
    const slug = `tips-${Date.now().toString(36)}`;
    const community = (await api('POST', '/v1/communities', { slug, name: 'Tips bench' }, owner.cookie)).json
      .community as { id: string };
    await api('POST', `/v1/communities/${slug}/stripe/connect`, {}, owner.cookie);
    const account = [...stripe.objects.values()].find((o) => o.object === 'account');
    if (!account) throw new Error('no connected account was created');
    account.charges_enabled = true;
    await stripe.deliver(
      `${platform.gatewayUrl}/v1/webhooks/stripe`,
      stripe.event('account.updated', account),
    );
    await new Promise((r) => setTimeout(r, 500));

    // The tips (and their PaymentIntents at the double) exist before the clock starts.
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < count) {
          const i = next++;
          await rpc.call(tippingRpc.createFiatTip, {
            actorId: alice.memberId,
            communityId: community.id,
            to: bob.memberId,
            amount: { value: '500', currency: 'usd' },
            idempotencyKey: `bench-${i}`,
          });
        }
      }),
    );
    const piIds = [...stripe.objects.values()]
      .filter((o) => o.object === 'payment_intent')
      .map((o) => o.id)
      .slice(0, count);

    // Stripe signs on its side: the events are signed before the clock starts, and posted with a
    // plain keep-alive client, so the load generator takes as little of the 2 cores as it can.
    const deliveries = piIds.flatMap((id) => {
      const pi = stripe.objects.get(id);
      if (!pi) return [];
      const event = stripe.event('payment_intent.succeeded', {
        ...pi,
        status: 'succeeded',
        amount_received: pi.amount,
      });
      return [stripe.sign(event)];
    });
    const webhookUrl = new URL(`${platform.gatewayUrl}/v1/webhooks/stripe`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const post = (payload: string, signature: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          webhookUrl,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              'stripe-signature': signature,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const processNames = ['gateway', 'tipping', 'analytics', 'entitlements'] as const;
    const cpuBefore = processNames.map((name) => cpuMicros(platform.process(name).pid));
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (sent < deliveries.length) {
          const delivery = deliveries[sent++];
          if (delivery && (await post(delivery.payload, delivery.header)) !== 200) refused += 1;
        }
      }),
    );
    agent.destroy();
    const postedSeconds = (performance.now() - started) / 1000;
    const tippingSchema = `${namespace}_tipping`;
    const analyticsSchema = `${namespace}_analytics`;
    let credited = 0;
    let projected = 0;
    let ledgerSeconds = Number.NaN;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      credited = Number(
        (await db.query(`SELECT count(*) AS n FROM ${tippingSchema}.tips WHERE status = 'confirmed'`)).rows[0]
          .n,
      );
      if (credited >= piIds.length && Number.isNaN(ledgerSeconds))
        ledgerSeconds = (performance.now() - started) / 1000;
      projected = Number(
        (
          await db.query(`SELECT count(*) AS n FROM ${analyticsSchema}.tips WHERE community_id = $1`, [
            community.id,
          ])
        ).rows[0].n,
      );
      if (projected >= piIds.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const cpuSpent = [
      ...processNames.map(
        (name, i) =>
          `${name} ${((cpuMicros(platform.process(name).pid) - (cpuBefore[i] ?? 0)) / 1e6).toFixed(1)}`,
      ),
      `load generator ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)}`,
    ].join(', ');
    const exact = credited === piIds.length && projected === piIds.length && refused === 0;
    return [
      {
        figure: `${piIds.length} signed tip webhooks posted to the gateway (64 in flight; DATABASE_POOL_MAX=24)`,
        value: `${postedSeconds.toFixed(1)} s (${Math.round(piIds.length / postedSeconds)}/s, ${refused} refused)`,
        target: '—',
        verdict: 'info',
      },
      {
        figure: `… credited in the ledger / projected by analytics`,
        value: `${ledgerSeconds.toFixed(1)} s / ${totalSeconds.toFixed(1)} s (${credited} / ${projected} credits)`,
        target: '≤ 20 s, exactly one each',
        verdict: exact && totalSeconds <= 20 ? 'pass' : 'fail',
      },
      {
        figure: '… CPU seconds spent meanwhile, by process',
        value: cpuSpent,
        target: '—',
        verdict: 'info',
      },
    ];
  } finally {
    await db.end();
    await nc.close();
    await platform.stop();
    await stripe.close();
  }
}
