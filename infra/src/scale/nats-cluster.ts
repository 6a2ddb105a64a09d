import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const clusterDir = fileURLToPath(new URL('../../nats/cluster/', import.meta.url));

/** The three nodes of `infra/nats/cluster/n{1,2,3}.conf` (clients 4231–4233, monitoring 8231–8233). */
export const CLUSTER_NODES = [
  { name: 'n1', clientPort: 4231, monitorPort: 8231 },
  { name: 'n2', clientPort: 4232, monitorPort: 8232 },
  { name: 'n3', clientPort: 4233, monitorPort: 8233 },
] as const;

export interface ClusterNode {
  readonly name: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  readonly alive: boolean;
  /** SIGKILL: the node vanishes without telling anyone. */
  kill(): Promise<void>;
}

export interface NatsCluster {
  /** Every node, comma-separated: what `NATS_URL` is set to. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** The working directory the servers run in (their `./.data/nats-cluster/nN` stores are under it). */
  readonly workDir: string;
  node(name: string): ClusterNode;
  /** Stops the nodes still running and deletes the working directory. */
  stop(): Promise<void>;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the 3-node JetStream cluster from the repository's configs as three local `nats-server`
 * processes, in a fresh temporary working directory (so each run has empty, isolated stores), and
 * waits until every node reports JetStream healthy. `NATS_SERVER_BIN` overrides the binary.
 */
export async function startNatsCluster(
  bin = process.env.NATS_SERVER_BIN ?? 'nats-server',
): Promise<NatsCluster> {
  for (const { name, clientPort } of CLUSTER_NODES) {
    if (await portInUse(clientPort)) {
      throw new Error(`port ${clientPort} (cluster node ${name}) is taken: is another cluster running?`);
    }
  }
  const workDir = await mkdtemp(join(tmpdir(), 'coterie-nats-cluster-'));
  const processes = new Map<string, ChildProcess>();
  const logs = new Map<string, string[]>();
  for (const { name } of CLUSTER_NODES) {
    const child = spawn(bin, ['-c', join(clusterDir, `${name}.conf`)], {
      cwd: workDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const lines: string[] = [];
    logs.set(name, lines);
    child.stderr?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 30));
    });
    processes.set(name, child);
  }
  const alive = (name: string) => {
    const child = processes.get(name);
    return Boolean(child && child.exitCode === null && child.signalCode === null);
  };
  const stopNode = async (name: string, signal: NodeJS.Signals) => {
    const child = processes.get(name);
    if (!child || !alive(name)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  const stop = async () => {
    await Promise.all(CLUSTER_NODES.map(({ name }) => stopNode(name, 'SIGTERM')));
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    for (const { name, monitorPort } of CLUSTER_NODES) {
      for (;;) {
        if (!alive(name)) throw new Error(`nats-server ${name} exited:\n${logs.get(name)?.join('\n')}`);
        const healthy = await fetch(`http://127.0.0.1:${monitorPort}/healthz`)
          .then((r) => r.ok)
          .catch(() => false);
        if (healthy) break;
        if (Date.now() > deadline) throw new Error(`nats-server ${name} not healthy within 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes: ClusterNode[] = CLUSTER_NODES.map((spec) => ({
    ...spec,
    get alive() {
      return alive(spec.name);
    },
    kill: () => stopNode(spec.name, 'SIGKILL'),
  }));
  return {
    url: CLUSTER_NODES.map((n) => `nats://127.0.0.1:${n.clientPort}`).join(','),
    nodes,
    workDir,
    node: (name) => {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no cluster node ${name}`);
      return found;
    },
    stop,
  };
}
