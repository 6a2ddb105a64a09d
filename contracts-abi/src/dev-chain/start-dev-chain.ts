import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEV_CHAIN_ID } from './constants.ts';
import { rpcRequest } from './rpc-request.ts';
import type { DevChain, StartDevChainOptions } from './types.ts';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 8_000;
// Hardhat announces the port it actually bound; with `--port 0` that is the only way to learn it.
const LISTENING_LINE = /JSON-RPC server at http:\/\/\S*:(\d+)\//;

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const hardhatConfigPath = join(packageRoot, 'hardhat.config.cjs');
const exitWithParentPath = join(here, 'exit-with-parent.cjs');
const hardhatCliPath = createRequire(import.meta.url).resolve('hardhat/internal/cli/cli.js');

// One `exit` listener for all nodes: a listener per node trips MaxListenersExceededWarning in
// test runs that start many chains. `exit` handlers must be synchronous, hence SIGKILL.
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

class OutputTail {
  private text = '';
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-OUTPUT_TAIL_CHARS);
  }
  toString(): string {
    return this.text.trim() || '(empty)';
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!hasExited(child)) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  liveChildren.delete(child);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Readiness is two facts: our child printed that it bound a port (so an unrelated server that
 * already held the port cannot be mistaken for it), and that port answers `eth_chainId`.
 */
async function waitUntilReady(
  child: ChildProcess,
  host: string,
  boundPort: () => number | undefined,
  describe: () => string,
): Promise<string> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(
        `hardhat node exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready\n${describe()}`,
      );
    }
    const port = boundPort();
    if (port !== undefined) {
      const rpcUrl = `http://${formatHost(host)}:${port}`;
      const chainId = await rpcRequest<string>(rpcUrl, 'eth_chainId', [], 1_000).catch(() => undefined);
      if (chainId !== undefined) {
        if (Number(chainId) === DEV_CHAIN_ID) return rpcUrl;
        throw new Error(`${rpcUrl} answered chainId ${chainId}, expected ${DEV_CHAIN_ID}\n${describe()}`);
      }
    }
    await sleep(50);
  }
  throw new Error(
    `hardhat node did not answer eth_chainId on ${host} within ${READY_TIMEOUT_MS} ms\n${describe()}`,
  );
}

/** Spawns a Hardhat 2 node (chain id 31337, the dev mnemonic's accounts) and waits until it answers. */
export async function startDevChain(opts: StartDevChainOptions = {}): Promise<DevChain> {
  const host = opts.host ?? '127.0.0.1';
  // Port 0 lets the OS choose at bind time, which cannot race the way probing for a free port can.
  const requestedPort = opts.port ?? 0;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--require',
      exitWithParentPath,
      hardhatCliPath,
      'node',
      '--hostname',
      host,
      '--port',
      String(requestedPort),
      '--config',
      hardhatConfigPath,
    ],
    {
      cwd: packageRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      // No TTY, so Hardhat would not prompt anyway; the variable makes that explicit.
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    },
  );
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));

  // Both pipes must be drained or Hardhat blocks once the OS buffer fills; only a tail is kept
  // for error messages.
  let port: number | undefined;
  const stdout = new OutputTail();
  const stderr = new OutputTail();
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout.push(chunk);
    if (port === undefined) {
      const match = LISTENING_LINE.exec(stdout.toString());
      if (match) port = Number(match[1]);
    }
  });
  child.stderr?.on('data', (chunk: string) => stderr.push(chunk));
  const describe = () => `--- hardhat stderr ---\n${stderr}\n--- hardhat stdout ---\n${stdout}`;

  let rpcUrl: string;
  try {
    rpcUrl = await waitUntilReady(child, host, () => port, describe);
    // Per-request logging costs time on every call and nobody reads it.
    await rpcRequest(rpcUrl, 'hardhat_setLoggingEnabled', [false]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }

  const startupMs = Math.round(performance.now() - started);
  opts.logger?.info(`hardhat node ready at ${rpcUrl} (pid ${child.pid}) in ${startupMs} ms`);

  let stopping: Promise<void> | undefined;
  return {
    rpcUrl,
    chainId: DEV_CHAIN_ID,
    host,
    port: port!,
    pid: child.pid!,
    process: child,
    startupMs,
    stop() {
      stopping ??= stopChild(child);
      return stopping;
    },
  };
}
