import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isPortOpen, waitFor } from '@coterie/testing/ports';
import type { Provided } from './ensure-postgres.ts';

export const EMBEDDED_NATS_PORT = 14222;

/**
 * `NATS_URL` when given; otherwise a `nats-server` from PATH started with JetStream in `<dataDir>/nats` (on Debian/Ubuntu as
 * root it is installed with apt-get when missing).
 */
export async function ensureNats(dataDir: string, env = process.env): Promise<Provided> {
  if (env.NATS_URL) return { url: env.NATS_URL, started: false, stop: async () => {} };
  const url = `nats://127.0.0.1:${EMBEDDED_NATS_PORT}`;
  // Another `npm start`/`npm test` of this checkout is running it: share it.
  if (await isPortOpen(EMBEDDED_NATS_PORT)) return { url, started: false, stop: async () => {} };
  const binary = findNatsServer() ?? installNatsServer();
  const storeDir = join(dataDir, 'nats');
  await mkdir(storeDir, { recursive: true });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(EMBEDDED_NATS_PORT), '-js', '-sd', storeDir], {
    stdio: 'ignore',
    // Its own process group: Ctrl-C in the terminal must not stop NATS before the services drain.
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => isPortOpen(EMBEDDED_NATS_PORT), 'nats-server', 15_000);
  return {
    url,
    started: true,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function findNatsServer(): string | undefined {
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function installNatsServer(): string {
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    throw new Error(
      'NATS is needed: set NATS_URL to a JetStream-enabled server, or install nats-server ' +
        '(Debian/Ubuntu: `apt-get install nats-server`; elsewhere: https://docs.nats.io) and run again.',
    );
  }
  execFileSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit' });
  const found = findNatsServer();
  if (!found) throw new Error('apt-get installed nats-server but it is not on PATH');
  return found;
}
