import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXTS, type Context } from '@coterie/contracts';
import { uniqueNamespace } from '@coterie/testing';
import type { LocalAccount } from 'viem';
import {
  freePort,
  type ServiceProcess,
  spawnService,
  waitUntil,
} from '../../infra/src/support/service-process.ts';
import { signInOverHttp } from '../../infra/src/support/siwe-client.ts';

/**
 * Real processes for fault tests (issue #11): a throw-away `nats-server -js` and a throw-away
 * PostgreSQL cluster (each on a free port with its own store, so they can be killed and restarted
 * without disturbing the servers other test files share), and the six services plus the gateway
 * as separate Node processes, started as `npm start` starts them.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Keeps the last lines a child wrote, for failure reports. */
function tailOf(child: ChildProcess, lines: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 30));
    });
  }
}

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  Boolean(child && child.exitCode === null && child.signalCode === null);

async function signal(child: ChildProcess | undefined, sig: NodeJS.Signals): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(sig);
  await exited;
}

// ---------------------------------------------------------------- NATS

export interface ThrowawayNats {
  readonly url: string;
  readonly port: number;
  /** Starts the server (again) on the same port and store directory; resolves once JetStream is healthy. */
  start(): Promise<void>;
  /** SIGKILL: the server vanishes; the store directory stays. */
  kill(): Promise<void>;
  /** Stops the server and deletes its store. */
  dispose(): Promise<void>;
  tail(): string;
}

function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  return 'nats-server';
}

/** A single `nats-server -js` of its own (not the shared one at 4222), store in a temp directory. */
export async function startThrowawayNats(): Promise<ThrowawayNats> {
  const [port, monitorPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), 'coterie-faults-nats-'));
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  const start = async () => {
    if (running(child)) throw new Error('nats-server is running');
    const spawned = spawn(
      natsServerBinary(),
      ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = spawned;
    tailOf(spawned, lines);
    await waitUntil(
      'nats-server',
      async () => {
        if (!running(spawned)) throw new Error(`nats-server exited:\n${lines.join('\n')}`);
        return (await fetch(`http://127.0.0.1:${monitorPort}/healthz`)).ok;
      },
      30_000,
      50,
    );
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    kill: () => signal(child, 'SIGKILL'),
    dispose: async () => {
      await signal(child, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    tail: () => lines.join('\n'),
  };
}

// ---------------------------------------------------------------- PostgreSQL

export interface ThrowawayPostgres {
  readonly url: string;
  /** Starts the cluster (again) on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** A fast shutdown (SIGINT to the postmaster): open sessions are cut, the data stays. */
  stop(): Promise<void>;
  /** Stops it and deletes the data directory. */
  dispose(): Promise<void>;
  tail(): string;
}

/**
 * A PostgreSQL cluster of its own on a free port, run by the devstack's embedded-postgres helper
 * (which runs the server as the `postgres` user when we are root). Stopping the helper with
 * SIGTERM shuts the cluster down fast; starting it again reuses the data directory.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'coterie-faults-pg-'));
  // As root the server runs as `postgres`, which must be able to reach `<dir>/postgres`.
  await chmod(dir, 0o755);
  const script = join(root, 'infra/src/devstack/embedded-postgres-process.ts');
  const lines: string[] = [];
  let helper: ChildProcess | undefined;
  const start = async () => {
    if (running(helper)) throw new Error('PostgreSQL is running');
    const spawned = spawn(process.execPath, ['--import', 'tsx', script, dir, String(port)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    helper = spawned;
    tailOf(spawned, lines);
    await new Promise<void>((resolve, reject) => {
      spawned.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      spawned.once('exit', (code) =>
        reject(new Error(`PostgreSQL helper exited (${code}):\n${lines.join('\n')}`)),
      );
    });
  };
  /** The postmaster, if one is still up (a helper that died hard leaves it behind). */
  const postmasterPid = async (): Promise<number | undefined> => {
    const pidFile = join(dir, 'postgres', 'postmaster.pid');
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
    if (!pid) return undefined;
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  };
  const stop = async () => {
    await signal(helper, 'SIGTERM');
    const orphan = await postmasterPid();
    if (orphan) {
      process.kill(orphan, 'SIGQUIT');
      await waitUntil('postmaster exit', async () => (await postmasterPid()) === undefined, 15_000, 50);
    }
  };
  try {
    await start();
  } catch (error) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/coterie`,
    start,
    stop,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    tail: () => lines.join('\n'),
  };
}

// ---------------------------------------------------------------- the platform

export type ProcessName = Context | 'gateway';
export const PROCESS_NAMES: readonly ProcessName[] = [...CONTEXTS, 'gateway'];

export interface ProcessPlatform {
  readonly namespace: string;
  readonly gatewayUrl: string;
  /** The process running `name` now. */
  process(name: ProcessName): ServiceProcess;
  /** Whether the process running `name` is still up (it did not crash). */
  isAlive(name: ProcessName): boolean;
  /** SIGKILL: a crash, nothing is finished. */
  kill(name: ProcessName): Promise<void>;
  /** Starts `name` again as a new process (same environment); does not wait for it to be ready. */
  restart(name: ProcessName): void;
  /** The status `GET /readyz` answers now. */
  readyz(): Promise<number>;
  /** The last lines of every process, for failure reports. */
  tails(): string;
  stop(): Promise<void>;
}

export interface ProcessPlatformOptions {
  databaseUrl: string;
  natsUrl: string;
  chainsJson: string;
  /** More environment for every process (e.g. an OTLP endpoint). */
  env?: Record<string, string>;
  /** Default: a fresh one. */
  namespace?: string;
}

/** The six services and the gateway as seven Node processes in a fresh namespace; resolves once `/readyz` is 200. */
export async function startProcessPlatform(options: ProcessPlatformOptions): Promise<ProcessPlatform> {
  const namespace = options.namespace ?? uniqueNamespace('pf');
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    CHAINS: options.chainsJson,
    COTERIE_NAMESPACE: namespace,
    NATS_STREAM_REPLICAS: '1',
    LOG_LEVEL: 'warn',
    IDENTITY_TOKEN_SECRET: 'faults-only-identity-token-secret-0123456789',
    ...options.env,
  };
  const gatewayPort = await freePort();
  const envOf = (name: ProcessName): Record<string, string> =>
    name === 'gateway'
      ? {
          ...env,
          PORT: String(gatewayPort),
          AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
          READYZ_TIMEOUT_MS: '1000',
        }
      : env;
  const processes = new Map<ProcessName, ServiceProcess>();
  const alive = new Set<ServiceProcess>();
  const spawnOne = (name: ProcessName) => {
    // COTERIE_CPU_PROFILE=gateway,tipping writes V8 CPU profiles of those processes to /tmp/cpu-profile-<name>/.
    const profiled = (process.env.COTERIE_CPU_PROFILE ?? '').split(',').includes(name);
    const p = spawnService(
      name,
      envOf(name),
      profiled ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=/tmp/cpu-profile-${name}`] } : {},
    );
    alive.add(p);
    void p.exited.then(() => alive.delete(p));
    processes.set(name, p);
  };
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const readyz = async () => (await fetch(`${gatewayUrl}/readyz`)).status;
  const tails = () => [...processes].map(([name, p]) => `--- ${name} (pid ${p.pid})\n${p.tail()}`).join('\n');
  const stop = async () => {
    await Promise.allSettled(
      [...processes.values()].map((p) => p.stop(process.env.COTERIE_CPU_PROFILE ? 30_000 : 5_000)),
    );
  };
  for (const context of CONTEXTS) spawnOne(context);
  spawnOne('gateway');
  try {
    await waitUntil('platform ready', async () => (await readyz()) === 200, 90_000, 250);
  } catch (error) {
    const report = tails();
    await stop();
    throw new Error(`${(error as Error).message}\n${report}`);
  }
  return {
    namespace,
    gatewayUrl,
    process: (name) => {
      const p = processes.get(name);
      if (!p) throw new Error(`no process ${name}`);
      return p;
    },
    isAlive: (name) => {
      const p = processes.get(name);
      return Boolean(p && alive.has(p));
    },
    kill: async (name) => processes.get(name)?.kill(),
    restart: (name) => {
      const p = processes.get(name);
      // Callers kill first: restarting a live process would run two replicas.
      if (p && alive.has(p)) throw new Error(`${name} is still running (pid ${p.pid})`);
      spawnOne(name);
    },
    readyz,
    tails,
    stop,
  };
}

// ---------------------------------------------------------------- HTTP clients

export interface HttpAnswer {
  status: number;
  body: string;
  json<T>(): T;
}

/** A signed-in member talking to the gateway over real HTTP (cookie and CSRF header set). */
export interface HttpMember {
  readonly memberId: string;
  get(path: string): Promise<HttpAnswer>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
}

export async function signInMember(gatewayUrl: string, account: LocalAccount): Promise<HttpMember> {
  const { memberId, cookie } = await signInOverHttp(gatewayUrl, account);
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: {
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-coterie-csrf': '1' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text, json: <T>() => JSON.parse(text) as T };
  };
  return {
    memberId,
    get: (path) => send('GET', path),
    post: (path, body, headers) => send('POST', path, body, headers),
  };
}
