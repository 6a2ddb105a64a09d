import { randomBytes } from 'node:crypto';
import { healthRpc } from '@coterie/contracts';
import { connectNats, createNaming, createRpcClient } from '@coterie/messaging';
import autocannon from 'autocannon';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { freePort, type ServiceProcess, spawnService, waitUntil } from '../support/service-process.ts';
import { signInOverHttp } from '../support/siwe-client.ts';
import type { BenchInfraUrls } from './bench-platform.ts';
import { cpuMicros } from './cpu.ts';
import type { BenchRow } from './table.ts';

export interface GatedReadOptions {
  /** autocannon settings, the same for both targets. */
  connections?: number;
  /** Length of one measured run; each target is measured `rounds` times, interleaved. */
  seconds?: number;
  rounds?: number;
  warmupSeconds?: number;
  /** The gateway's LOG_LEVEL (production default: info, one line per request). */
  gatewayLogLevel?: string;
  /** Extra `node` flags of the gateway process (e.g. `--cpu-prof` to profile it). */
  gatewayNodeArgs?: string[];
  /** Label of this variant in the figures, e.g. `LOG_LEVEL=warn`. */
  label?: string;
  /** Extra environment of the gateway process (e.g. an OTLP endpoint or a sampler). */
  gatewayEnv?: Record<string, string>;
  /** A variant that is not the product as shipped (e.g. tracing off): its ratio has no target. */
  informational?: boolean;
}

interface Measured {
  rps: number;
  p99: number;
  p50: number;
  errors: number;
  non2xx: number;
  /** The server's own CPU per request: unlike req/s, barely moved by other load on the machine. */
  cpuPerRequestUs: number;
}

async function measure(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  serverPid: number,
): Promise<Measured> {
  const cpuBefore = cpuMicros(serverPid);
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  const cpu = cpuMicros(serverPid) - cpuBefore;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuPerRequestUs: cpu / Math.max(1, result.requests.total),
  };
}

/**
 * The gated read through the gateway (DESIGN.md §7): `GET /v1/communities/:c/membership` as a
 * signed-in member, warm, against a bare Fastify hello-world, with the same autocannon settings
 * in the same run. No gateway route answers with `entitlements.rpc.check` alone; this one is the
 * closest: session resolution (cookie → identity `resolveSession`, ≤ 5 s cache) and one
 * entitlements RPC answered from its store (`getMembership`). Each server is one Node process
 * of its own (as deployed): gateway, identity and entitlements run from their `main.ts`;
 * autocannon runs here.
 */
export async function benchGatedRead(
  infra: BenchInfraUrls,
  options: GatedReadOptions = {},
): Promise<BenchRow[]> {
  const connections = options.connections ?? 50;
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 3;
  const warmup = options.warmupSeconds ?? 2;
  const namespace = `${infra.namespace}_gated${randomBytes(2).toString('hex')}`;
  const env = {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    CHAINS: infra.chainsJson,
    COTERIE_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    IDENTITY_TOKEN_SECRET: 'bench-only-identity-token-secret-0123456789',
  };
  const processes: ServiceProcess[] = [];
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-gated-read' });
  try {
    const [gatewayPort, helloPort] = [await freePort(), await freePort()];
    for (const name of ['identity', 'entitlements']) processes.push(spawnService(name, env));
    const gateway = spawnService(
      'gateway',
      {
        ...env,
        PORT: String(gatewayPort),
        LOG_LEVEL: options.gatewayLogLevel ?? 'info',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        ...options.gatewayEnv,
      },
      { discardStdout: true, ...(options.gatewayNodeArgs ? { nodeArgs: options.gatewayNodeArgs } : {}) },
    );
    const hello = spawnService(
      'hello',
      { PORT: String(helloPort) },
      { file: 'infra/src/bench/hello-server.ts' },
    );
    processes.push(gateway, hello);
    const naming = createNaming(namespace);
    const rpc = createRpcClient(nc, naming);
    // `$SRV.STATS` of identity (one instance): how many `resolveSession` requests reached it.
    const resolveSessionCalls = async () => {
      const reply = await nc.request(`$SRV.STATS.${naming.serviceName('identity')}`, '', { timeout: 2_000 });
      const stats = reply.json<{ endpoints: { name: string; num_requests: number }[] }>();
      return stats.endpoints.find((e) => e.name === 'resolveSession')?.num_requests ?? 0;
    };
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const helloUrl = `http://127.0.0.1:${helloPort}/`;
    await Promise.all([
      waitUntil('identity', async () => Boolean(await rpc.call(healthRpc('identity'), {}))),
      waitUntil('entitlements', async () => Boolean(await rpc.call(healthRpc('entitlements'), {}))),
      waitUntil('gateway', async () => (await fetch(`${gatewayUrl}/healthz`)).ok),
      waitUntil('hello', async () => (await fetch(helloUrl)).ok),
    ]).catch((error: Error) => {
      throw new Error(`${error.message}\n${processes.map((p) => `${p.name}: ${p.tail()}`).join('\n')}`);
    });

    const member = await signInOverHttp(gatewayUrl, privateKeyToAccount(generatePrivateKey()));
    const slug = `gated-${randomBytes(3).toString('hex')}`;
    const created = await fetch(`${gatewayUrl}/v1/communities`, {
      method: 'POST',
      headers: { cookie: member.cookie, 'content-type': 'application/json', 'x-coterie-csrf': '1' },
      body: JSON.stringify({ slug, name: 'Gated read bench' }),
    });
    if (created.status !== 201)
      throw new Error(`create community: ${created.status} ${await created.text()}`);
    const gatedUrl = `${gatewayUrl}/v1/communities/${slug}/membership`;
    const headers = { cookie: member.cookie };
    const first = await fetch(gatedUrl, { headers });
    if (first.status !== 200) throw new Error(`gated read: ${first.status} ${await first.text()}`);

    // The gateway's own floor: a public route that needs no session and no RPC (all plugins run).
    const floorUrl = `${gatewayUrl}/v1/config`;
    const targets = {
      bare: () => measure(helloUrl, {}, connections, seconds, hello.pid),
      floor: () => measure(floorUrl, {}, connections, seconds, gateway.pid),
      gated: () => measure(gatedUrl, headers, connections, seconds, gateway.pid),
    };
    // Warm every target (JIT, connection pools, the caches) before anything is measured.
    await measure(helloUrl, {}, connections, warmup, hello.pid);
    await measure(floorUrl, {}, connections, warmup, gateway.pid);
    await measure(gatedUrl, headers, connections, warmup, gateway.pid);
    // Interleaved rounds, median of each: a shared VM's speed drifts by tens of percent within a
    // minute, and one run after the other would put the drift into the ratio.
    const samples: Record<keyof typeof targets, Measured[]> = { bare: [], floor: [], gated: [] };
    const resolvesBefore = await resolveSessionCalls();
    const gatedStarted = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(targets) as (keyof typeof targets)[]) {
        samples[name].push(await targets[name]());
      }
    }
    const gatedSeconds = (performance.now() - gatedStarted) / 1000;
    const resolves = (await resolveSessionCalls()) - resolvesBefore;
    const median = (runs: Measured[]) => {
      const sorted = [...runs].sort((a, b) => a.rps - b.rps);
      return sorted[Math.floor(sorted.length / 2)] as Measured;
    };
    const bare = median(samples.bare);
    const floor = median(samples.floor);
    const gated = median(samples.gated);
    const gatedRequests = samples.gated.reduce((sum, m) => sum + m.rps * seconds, 0);

    const ratio = gated.rps / bare.rps;
    const cpu = (m: Measured) => `${m.cpuPerRequestUs.toFixed(0)} µs CPU/req`;
    const cpuRatio = bare.cpuPerRequestUs / gated.cpuPerRequestUs;
    const settings = `${connections} conns, median of ${rounds} interleaved ${seconds} s runs, pipelining 1`;
    const label = options.label ? ` [${options.label}]` : '';
    const failures = samples.gated.reduce((sum, m) => sum + m.errors + m.non2xx, 0);
    return [
      {
        figure: `bare Fastify hello-world (autocannon ${settings})${label}`,
        value: `${Math.round(bare.rps)}/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms, ${cpu(bare)}`,
        target: '—',
        verdict: 'info',
      },
      {
        figure: `gateway floor GET /v1/config (no session, no RPC)${label}`,
        value: `${Math.round(floor.rps)}/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${cpu(floor)}`,
        target: '—',
        verdict: 'info',
      },
      {
        figure: `gated read GET /v1/communities/:c/membership, warm${label}`,
        value: `${Math.round(gated.rps)}/s, p50 ${gated.p50} ms, p99 ${gated.p99} ms, ${cpu(gated)}${failures ? `, ${failures} failed` : ''}`,
        target: 'no failures',
        verdict: failures === 0 ? 'pass' : 'fail',
      },
      {
        figure: `session resolutions asked of identity during the gated run${label}`,
        value: `${resolves} for ${Math.round(gatedRequests)} requests over ${gatedSeconds.toFixed(0)} s`,
        target: '≤ 1 per 5 s (cache)',
        verdict: resolves <= Math.ceil(gatedSeconds / 5) + 1 ? 'pass' : 'fail',
      },
      {
        figure: `gated read ÷ bare hello-world${label}`,
        value: `${(ratio * 100).toFixed(1)} %`,
        target: options.informational ? '— (not as shipped)' : '≥ 60 %',
        verdict: options.informational ? 'info' : ratio >= 0.6 ? 'pass' : 'fail',
      },
      {
        figure: `…the same as server CPU per request (hello ÷ gated; steadier on a busy machine)${label}`,
        value: `${(cpuRatio * 100).toFixed(1)} %`,
        target: '—',
        verdict: 'info',
      },
    ];
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop(15_000)));
    await nc.close();
  }
}
