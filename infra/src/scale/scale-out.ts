import { createHash, randomBytes } from 'node:crypto';
import {
  type Context,
  communityCreatedV1,
  entitlementsRpc,
  healthRpc,
  memberSignedInV1,
} from '@coterie/contracts';
import { schemaNameFor } from '@coterie/db';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type Naming,
  type NatsConnection,
} from '@coterie/messaging';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { freePort, type ServiceProcess, spawnService, waitUntil } from '../support/service-process.ts';
import { signInOverHttp } from '../support/siwe-client.ts';
import { startNatsCluster } from './nats-cluster.ts';

export type LoadKind = 'signIns' | 'checks' | 'creations';
const KINDS: readonly LoadKind[] = ['signIns', 'checks', 'creations'];

export interface ScaleOutOptions {
  databaseUrl: string;
  chainsJson: string;
  /** Services run as two replicas each (child processes); the gateway as one. */
  services: readonly Context[];
  /**
   * Length of each phase: before the NATS node dies, between, and after the replicas die. The
   * last two should outlast the gateway's 5 s RPC timeout: a client whose request was in flight
   * on a dead node or replica waits that long for its error.
   */
  phaseMs: number | Record<PhaseReport['phase'], number>;
  /** Concurrent clients per kind of load. */
  concurrency: Record<LoadKind, number>;
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
  verification: {
    acceptedSignIns: number;
    signInsWithOneSession: number;
    signInsWithOneEvent: number;
    acceptedCreations: number;
    creationsWithOneRow: number;
    creationsWithOneEvent: number;
    /** Events whose effect id (session / community) appears more than once in the stream. */
    duplicateEvents: number;
  };
}

const zero = (): Record<LoadKind, number> => ({ signIns: 0, checks: 0, creations: 0 });

/**
 * The scale-out proof: a 3-node JetStream cluster (R3 streams), two replicas of each service, one
 * gateway, and a steady load of sign-ins (HTTP), `entitlements.rpc.check` calls (NATS) and
 * community creations (HTTP). One NATS node (the IDENTITY stream's leader) is SIGKILLed, then one
 * replica of every service; afterwards every accepted sign-in must have exactly one session row
 * and one `identity.member.signed-in.v1`, and every accepted creation one row and one
 * `entitlements.community.created.v1`.
 */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  const log = options.log ?? (() => {});
  const namespace = `scale${randomBytes(4).toString('hex')}`;
  const naming = createNaming(namespace);
  const cluster = await startNatsCluster();
  log(`cluster up: ${cluster.url} (stores under ${cluster.workDir})`);
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
    const createCommunity = async (slug: string) => {
      const res = await fetch(`${gatewayUrl}/v1/communities`, {
        method: 'POST',
        headers: { cookie: owner.cookie, 'content-type': 'application/json', 'x-coterie-csrf': '1' },
        body: JSON.stringify({ slug, name: `Scale ${slug}` }),
      });
      if (res.status !== 201) throw new Error(`create community: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { community: { id: string } }).community.id;
    };
    const communityId = await createCommunity(`scale-${randomBytes(3).toString('hex')}`);

    // ---- load ----
    const phases: PhaseReport[] = [];
    let current: PhaseReport = { phase: 'before', seconds: 0, ok: zero(), errors: zero() };
    const errorSamples: string[] = [];
    const acceptedTokens: string[] = [];
    const acceptedCommunities: string[] = [];
    let running = true;
    const loadStart = performance.now();
    const second = () => Math.floor((performance.now() - loadStart) / 1000);
    const timeline: Record<LoadKind, number[]> = { signIns: [], checks: [], creations: [] };
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
      creations: async () => {
        acceptedCommunities.push(await createCommunity(`s-${randomBytes(6).toString('hex')}`));
      },
    };
    const workers = KINDS.flatMap((kind) =>
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
    const identitySchema = schemaNameFor('identity', namespace);
    const entitlementsSchema = schemaNameFor('entitlements', namespace);
    await waitUntil(
      'outboxes drained',
      async () => {
        for (const schema of [identitySchema, entitlementsSchema]) {
          const { rows } = await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM "${schema}".outbox WHERE published_at IS NULL`,
          );
          if (Number(rows[0]?.n) > 0) return false;
        }
        return true;
      },
      60_000,
    );
    const sessionsByHash = new Map(
      (
        await db.query<{ id: string; hash: string }>(
          `SELECT id, encode(token_hash, 'hex') AS hash FROM "${identitySchema}".sessions`,
        )
      ).rows.map((r) => [r.hash, r.id]),
    );
    const communityRows = new Set(
      (await db.query<{ id: string }>(`SELECT id FROM "${entitlementsSchema}".communities`)).rows.map(
        (r) => r.id,
      ),
    );
    const signInEvents = await countEvents(nc, naming, 'identity', memberSignedInV1.subject, (data) =>
      String((data as { sessionId: string }).sessionId),
    );
    const creationEvents = await countEvents(nc, naming, 'entitlements', communityCreatedV1.subject, (data) =>
      String((data as { communityId: string }).communityId),
    );
    const sessionIds = acceptedTokens.map((token) =>
      sessionsByHash.get(createHash('sha256').update(token).digest('hex')),
    );
    return {
      namespace,
      killedNatsNode: leader,
      killedReplicas: victims.map((p) => p.name),
      phases,
      errorSamples,
      timeline: {
        signIns: Array.from(timeline.signIns, (n) => n ?? 0),
        checks: Array.from(timeline.checks, (n) => n ?? 0),
        creations: Array.from(timeline.creations, (n) => n ?? 0),
      },
      kills,
      verification: {
        acceptedSignIns: acceptedTokens.length,
        signInsWithOneSession: sessionIds.filter(Boolean).length,
        signInsWithOneEvent: sessionIds.filter((id) => id && signInEvents.get(id) === 1).length,
        acceptedCreations: acceptedCommunities.length,
        creationsWithOneRow: acceptedCommunities.filter((id) => communityRows.has(id)).length,
        creationsWithOneEvent: acceptedCommunities.filter((id) => creationEvents.get(id) === 1).length,
        duplicateEvents: [...signInEvents.values(), ...creationEvents.values()].filter((n) => n > 1).length,
      },
    };
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop(5_000)));
    await nc?.close().catch(() => {});
    await dropNamespace(db, namespace).catch(() => {});
    await db.end();
    await cluster.stop();
  }
}

/** How many times each key (from the event's data) occurs among the stream's `subject` events. */
async function countEvents(
  nc: NatsConnection,
  naming: Naming,
  context: Context,
  subject: string,
  keyOf: (data: unknown) => string,
): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(nc);
  const stream = naming.stream(context);
  const filter = naming.subject(subject);
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  const total = info.state.subjects?.[filter] ?? 0;
  const counts = new Map<string, number>();
  if (total === 0) return counts;
  // A throw-away durable (singular `filter_subject`: multi-filter needs nats-server 2.10), R1 in
  // memory. Right after a node died the meta leader may still place it there and the request
  // times out: try again, under a new name (the timed-out one may exist after all).
  let durable = '';
  for (let attempt = 1; ; attempt++) {
    durable = `count_${randomBytes(4).toString('hex')}`;
    const added = await jsm.consumers
      .add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.All,
        filter_subject: filter,
        inactive_threshold: 60_000_000_000,
        num_replicas: 1,
        mem_storage: true,
      })
      .then(
        () => true,
        (error: Error) => {
          if (attempt >= 6) throw error;
          return false;
        },
      );
    if (added) break;
  }
  const consumer = await jetstream(nc).consumers.get(stream, durable);
  let seen = 0;
  while (seen < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(1_000, total - seen), expires: 5_000 });
    let got = 0;
    for await (const msg of batch) {
      const key = keyOf((msg.json() as { data: unknown }).data);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      got += 1;
    }
    if (got === 0) throw new Error(`read ${seen} of ${total} ${subject} events, then nothing`);
    seen += got;
  }
  await jsm.consumers.delete(stream, durable).catch(() => {});
  return counts;
}

async function dropNamespace(db: pg.Client, namespace: string): Promise<void> {
  const { rows } = await db.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '\\_%'",
    [namespace],
  );
  for (const { nspname } of rows) await db.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
}
