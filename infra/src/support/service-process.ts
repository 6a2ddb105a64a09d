import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** One Coterie process (`services/<name>/src/main.ts`) started the way `npm start` starts it. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it wrote (stdout and stderr), for failure reports. */
  tail(): string;
  /** SIGKILL: a crash, nothing is finished. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnServiceOptions {
  /** Runs `file` (relative to the repository root) instead of `services/<name>/src/main.ts`. */
  file?: string;
  /** Called with each line the process writes (e.g. to print a prefixed log). */
  onLine?: (line: string) => void;
  /** Extra `node` flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Name in reports (default: the service's), e.g. `identity#2` for a second replica. */
  label?: string;
  /** Sends stdout to /dev/null (a benchmark must not spend the load generator's CPU on logs). */
  discardStdout?: boolean;
}

export function spawnService(
  name: string,
  env: Record<string, string>,
  options: SpawnServiceOptions = {},
): ServiceProcess {
  const file = join(root, options.file ?? join('services', name, 'src', 'main.ts'));
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', file],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 40) lines.shift();
        options.onLine?.(line);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const signal = async (sig: NodeJS.Signals, graceMs?: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    if (graceMs !== undefined) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    } else await exited;
  };
  return {
    name: options.label ?? name,
    pid: child.pid ?? -1,
    exited,
    tail: () => lines.join('\n'),
    kill: () => signal('SIGKILL'),
    stop: (graceMs = 15_000) => signal('SIGTERM', graceMs),
  };
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true, or throws after `timeoutMs` (with `what` in the message). */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
