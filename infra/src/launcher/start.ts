import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXTS } from '@coterie/contracts';
import { ensureChain, ensureNats, ensurePostgres } from '../devstack/index.ts';
import { devSecrets } from './dev-secrets.ts';
import { seedDemo } from './seed-demo.ts';

/**
 * `npm start`: PostgreSQL, NATS and the dev chain (from the env, or started here), then the
 * six services and the gateway as separate processes, until Ctrl-C stops all of it.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = join(root, '.data', 'dev');
const startedAt = Date.now();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const say = (line: string) => process.stdout.write(`[coterie] ${line}\n`);

say('starting PostgreSQL, NATS and the dev chain');
const [postgres, nats, chain] = await Promise.all([
  ensurePostgres(dataDir),
  ensureNats(dataDir),
  ensureChain(),
]);
say(`PostgreSQL ${redact(postgres.url)}${postgres.started ? ' (embedded)' : ''}`);
say(`NATS ${nats.url}${nats.started ? ' (started here)' : ''}`);
if (chain.demo) say(`dev chain ${chain.demo.rpcUrl}: ${JSON.stringify(chain.demo.contracts)}`);

const env: NodeJS.ProcessEnv = {
  ...(await devSecrets(dataDir)),
  ...process.env,
  DATABASE_URL: postgres.url,
  NATS_URL: nats.url,
  CHAINS: chain.chainsJson,
  PORT: String(port),
  HOST: host,
  APP_ORIGIN: process.env.APP_ORIGIN ?? `http://localhost:${port}`,
  ...(chain.demo
    ? {
        DEMO_INFO: JSON.stringify({ communitySlug: 'demo', contracts: chain.demo.contracts }),
        // Crypto tips on the dev chain: the demo CommunityToken and native ETH.
        TIP_TOKENS:
          process.env.TIP_TOKENS ??
          JSON.stringify([
            {
              chainId: 31337,
              token: chain.demo.contracts.CommunityToken,
              symbol: 'CTR',
              decimals: 18,
              min: '1',
            },
            { chainId: 31337, token: 'native', symbol: 'ETH', decimals: 18, min: '1' },
          ]),
      }
    : {}),
};

const children = new Map<string, ChildProcess>();
let stopping = false;

function startProcess(name: string): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  const prefix = `${name.padEnd(12)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await Promise.allSettled([chain.stop(), nats.stop(), postgres.stop()]);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

for (const name of [...CONTEXTS, 'gateway']) startProcess(name);

const loopback = host === '0.0.0.0' || host === '127.0.0.1';
const probeUrl = `http://${loopback ? '127.0.0.1' : host}:${port}`;
// Shown as localhost: the browser's origin must match APP_ORIGIN for SIWE and CSRF checks.
const url = `http://${loopback ? 'localhost' : host}:${port}`;
const deadline = Date.now() + 120_000;
for (;;) {
  const ready = await fetch(`${probeUrl}/readyz`)
    .then((r) => r.ok)
    .catch(() => false);
  if (ready) break;
  if (Date.now() > deadline) {
    say('the platform did not become ready within 120 s');
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
if (chain.demo) {
  const outcome = await seedDemo({
    gatewayUrl: probeUrl,
    appOrigin: String(env.APP_ORIGIN),
    communitySlug: 'demo',
    communityToken: chain.demo.contracts.CommunityToken,
    membershipPass: chain.demo.contracts.MembershipPass,
  }).catch((error: Error) => `not seeded: ${error.message}`);
  say(`demo community "demo": ${outcome} (dev account #0 holds the CTR supply; send some to your wallet)`);
}
say(
  `ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s → ${url}  (API docs: ${url}/docs; Ctrl-C stops)`,
);

function redact(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
