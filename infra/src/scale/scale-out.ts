import { randomBytes } from 'node:crypto';
import { type Context, entitlementsRpc, healthRpc } from '@coterie/contracts';
import { connectNats, createNaming, createRpcClient, type NatsConnection } from '@coterie/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { type StripeDouble, startStripeDouble } from '../../../tests/support/stripe-double.ts';
import { freePort, type ServiceProcess, spawnService, waitUntil } from '../support/service-process.ts';
import { signInOverHttp } from '../support/siwe-client.ts';
import { startNatsCluster } from './nats-cluster.ts';
import { exactlyOnce, type Verification, verifyEffects } from './verify-effects.ts';
import { prepareWorkloads, type ScaleChain } from './workloads.ts';

export type LoadKind = 'signIns' | 'checks' | 'tips' | 'votes' | 'subscriptions';
/** A client's pause after a failed operation. */
const ERROR_BACKOFF_MS = 100;

export const LOAD_KINDS: readonly LoadKind[] = ['signIns', 'checks', 'tips', 'votes', 'subscriptions'];

// Stripe retries a webhook the gateway did not take: scaled down from its three days to ~40 s,
// which outlasts a NATS node's and a replica's death.
const STRIPE_RETRY_DELAYS_MS = [200, 400, 800, ...Array.from({ length: 38 }, () => 1_000)];

export interface ScaleOutOptions {
  databaseUrl: string;
  chainsJson: string;
  /** The dev chain with the community token (the voters' power). */
  chain: ScaleChain;
  /**
   * Services run as two replicas each (child processes); the gateway as one. The load needs
   * identity, entitlements, tipping and governance.
   */
  services: readonly Context[];
  /**
   * Length of each phase: before the NATS node dies, between, and after the replicas die. The
   * last two should outlast the gateway's 5 s RPC timeout: a client whose request was in flight
   * on a dead node or replica waits that long for its error.
   */
  phaseMs: number | Record<PhaseReport['phase'], number>;
  /** Concurrent clients per kind of load. */
  concurrency: Record<LoadKind, number>;
  /** Voters funded on chain × open proposals = the votes the load can cast (each a first vote). */
  ballots: { voters: number; proposals: number };
  /** Extra environment for every service (e.g. TIP_TOKENS). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface PhaseReport {
  phase: 'before' | 'during' | 'after';
  seconds: number;
  ok: Record<LoadKind, number>;
  errors: Record<LoadKind, number>;
}

export interface ScaleOutReport {
  namespace: string;
  killedNatsNode: string;
  killedReplicas: string[];
  phases: PhaseReport[];
  /** A few error messages, for the reader. */
  errorSamples: string[];
  /** Successes per second since the load started, per kind (kills at `kills[].atSecond`). */
  timeline: Record<LoadKind, number[]>;
  kills: { what: string; atSecond: number }[];
  verification: Verification;
}

export { exactlyOnce, type Verification };

const zero = (): Record<LoadKind, number> => ({ signIns: 0, checks: 0, tips: 0, votes: 0, subscriptions: 0 });

/**
 * The scale-out proof: a 3-node JetStream cluster (R3 streams), two replicas of each service, one
 * gateway, Stripe's side played by the local double (webhooks retried as Stripe retries them), and
 * a steady load of sign-ins, `entitlements.rpc.check` calls (NATS), fiat tips, signed votes and
 * subscriptions (see `prepareWorkloads`). One NATS node (the IDENTITY stream's leader) is
 * SIGKILLed, then one replica of every service; afterwards every accepted sign-in must have
 * exactly one session and one `identity.member.signed-in.v1`, every tip one credit, every vote
 * one stored vote and every subscription one activation and one membership grant, each with
 * exactly one event.
 */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  const log = options.log ?? (() => {});
  const namespace = `scale${randomBytes(4).toString('hex')}`;
  const naming = createNaming(namespace);
  const cluster = await startNatsCluster();
  log(`cluster up: ${cluster.url} (stores under ${cluster.workDir})`);
  const stripe: StripeDouble = await startStripeDouble();
  const processes: ServiceProcess[] = [];
  let nc: NatsConnection | undefined;
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const env: Record<string, string> = {
      DATABASE_URL: options.databaseUrl,
      NATS_URL: cluster.url,
      NATS_STREAM_REPLICAS: '3',
      CHAINS: options.chainsJson,
      COTERIE_NAMESPACE: namespace,
      LOG_LEVEL: 'info',
      IDENTITY_TOKEN_SECRET: 'scale-test-identity-token-secret-0123456789',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      ...options.env,
    };
    // Replicas: `<service>#1` and `<service>#2`, each announcing "<context> service started".
    const started = new Set<string>();
    for (const service of options.services) {
      for (const replica of [1, 2]) {
        const name = `${service}#${replica}`;
        processes.push(
          spawnService(service, env, {
            label: name,
            onLine: (line) => {
              if (line.includes(`${service} service started`)) started.add(name);
            },
          }),
        );
      }
    }
    const gatewayPort = await freePort();
    const gateway = spawnService('gateway', {
      ...env,
      PORT: String(gatewayPort),
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    processes.push(gateway);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await Promise.all([
      waitUntil('service replicas', async () => started.size === options.services.length * 2, 120_000),
      waitUntil('gateway', async () => (await fetch(`${gatewayUrl}/healthz`)).ok, 120_000),
    ]).catch((error: Error) => {
      throw new Error(`${error.message}\n${processes.map((p) => `--- ${p.name}\n${p.tail()}`).join('\n')}`);
    });
    log(`${processes.length - 1} service replicas and the gateway are up`);

    nc = await connectNats({ url: cluster.url, name: 'scale-load' });
    const rpc = createRpcClient(nc, naming);
    await waitUntil('entitlements', async () => Boolean(await rpc.call(healthRpc('entitlements'), {})));
    const owner = await signInOverHttp(gatewayUrl, privateKeyToAccount(generatePrivateKey()));
    const slug = `scale-${randomBytes(3).toString('hex')}`;
    const created = await fetch(`${gatewayUrl}/v1/communities`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'content-type': 'application/json', 'x-coterie-csrf': '1' },
      body: JSON.stringify({ slug, name: `Scale ${slug}` }),
    });
    if (created.status !== 201)
      throw new Error(`create community: ${created.status} ${await created.text()}`);
    stripe.addWebhookEndpoint(`${gatewayUrl}/v1/webhooks/stripe`, {
      retryDelaysMs: STRIPE_RETRY_DELAYS_MS,
      timeoutMs: 5_000,
    });
    const workloads = await prepareWorkloads({
      gatewayUrl,
      stripe,
      chain: options.chain,
      owner,
      slug,
      ...options.ballots,
    });
    const { communityId } = workloads;
    log(`community ${slug} ready: Stripe account, tier, ${options.ballots.proposals} proposals`);

    // ---- load ----
    const phases: PhaseReport[] = [];
    let current: PhaseReport = { phase: 'before', seconds: 0, ok: zero(), errors: zero() };
    const errorSamples: string[] = [];
    const acceptedTokens: string[] = [];
    let running = true;
    const loadStart = performance.now();
    const second = () => Math.floor((performance.now() - loadStart) / 1000);
    const timeline: Record<LoadKind, number[]> = {
      signIns: [],
      checks: [],
      tips: [],
      votes: [],
      subscriptions: [],
    };
    const kills: { what: string; atSecond: number }[] = [];
    const operations: Record<LoadKind, () => Promise<void>> = {
      signIns: async () => {
        const signedIn = await signInOverHttp(gatewayUrl, privateKeyToAccount(generatePrivateKey()));
        acceptedTokens.push(signedIn.cookie.slice('coterie_session='.length));
      },
      checks: async () => {
        // A short timeout: a request in flight to a node or replica that died fails fast.
        const answer = await rpc.call(
          entitlementsRpc.check,
          { memberId: owner.memberId, communityId },
          { timeoutMs: 2_000 },
        );
        if (!answer.allowed) throw new Error('check: the owner was refused');
      },
      tips: workloads.tip,
      votes: workloads.vote,
      subscriptions: workloads.subscribe,
    };
    const workers = LOAD_KINDS.flatMap((kind) =>
      Array.from({ length: options.concurrency[kind] }, async () => {
        while (running) {
          try {
            await operations[kind]();
            current.ok[kind] += 1;
            const at = second();
            timeline[kind][at] = (timeline[kind][at] ?? 0) + 1;
          } catch (error) {
            current.errors[kind] += 1;
            if (errorSamples.length < 12)
              errorSamples.push(`${current.phase} ${kind}: ${(error as Error).message}`);
            // As a real client would: a failure that comes at once must not become a busy loop
            // (one that only ever rejects would starve the timers that end the phase).
            await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
          }
        }
      }),
    );
    // A phase starts before its failure is injected: errors the kill causes count in it.
    const phase = async (name: PhaseReport['phase'], inject?: () => Promise<void>) => {
      current = { phase: name, seconds: 0, ok: zero(), errors: zero() };
      const t0 = performance.now();
      await inject?.();
      const ms = typeof options.phaseMs === 'number' ? options.phaseMs : options.phaseMs[name];
      await new Promise((r) => setTimeout(r, Math.max(0, ms - (performance.now() - t0))));
      current.seconds = (performance.now() - t0) / 1000;
      phases.push(current);
      log(`${name}: ${JSON.stringify({ ok: current.ok, errors: current.errors })}`);
    };

    await phase('before');
    const jsm = await jetstreamManager(nc);
    const leader = (await jsm.streams.info(naming.stream('identity'))).cluster?.leader ?? 'n1';
    await phase('during', async () => {
      await cluster.node(leader).kill();
      kills.push({ what: `NATS ${leader}`, atSecond: (performance.now() - loadStart) / 1000 });
      log(`killed NATS node ${leader} (leader of ${naming.stream('identity')})`);
    });
    const victims = options.services.map((s) => processes.find((p) => p.name === `${s}#1`) as ServiceProcess);
    await phase('after', async () => {
      await Promise.all(victims.map((p) => p.kill()));
      kills.push({
        what: victims.map((p) => p.name).join(', '),
        atSecond: (performance.now() - loadStart) / 1000,
      });
      log(`killed replicas ${victims.map((p) => p.name).join(', ')}`);
    });
    running = false;
    // Requests still in flight finish outside every phase (their writes are still verified).
    current = { phase: 'after', seconds: 0, ok: zero(), errors: zero() };
    await Promise.all(workers);

    // ---- verification ----
    const verification = await verifyEffects({
      db,
      nc,
      naming,
      namespace,
      stripe,
      communityId,
      signInTokens: acceptedTokens,
      accepted: workloads.accepted,
      settleMs: 90_000,
    });
    return {
      namespace,
      killedNatsNode: leader,
      killedReplicas: victims.map((p) => p.name),
      phases,
      errorSamples,
      timeline: Object.fromEntries(
        LOAD_KINDS.map((kind) => [kind, Array.from(timeline[kind], (n) => n ?? 0)]),
      ) as Record<LoadKind, number[]>,
      kills,
      verification,
    };
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop(5_000)));
    await nc?.close().catch(() => {});
    await dropNamespace(db, namespace).catch(() => {});
    await db.end();
    await stripe.close();
    await cluster.stop();
  }
}

async function dropNamespace(db: pg.Client, namespace: string): Promise<void> {
  const { rows } = await db.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '\\_%'",
    [namespace],
  );
  for (const { nspname } of rows) await db.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
}
