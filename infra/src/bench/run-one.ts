import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChain, ensureNats, ensurePostgres } from '../devstack/index.ts';
import { benchGatedRead } from './gated-read-bench.ts';
import { type BenchRow, renderTable } from './table.ts';
import { benchTipWebhooks } from './tip-webhooks-bench.ts';

/**
 * One benchmark alone, for tuning: `node --import tsx infra/src/bench/run-one.ts <name>` with
 * `gated-read` or `tip-webhooks` (optional count). `pnpm bench` runs them all.
 */
const benches: Record<string, (infra: Parameters<typeof benchGatedRead>[0]) => Promise<BenchRow[]>> = {
  'gated-read': (infra) =>
    benchGatedRead(infra, {
      ...(process.env.GATEWAY_LOG_LEVEL ? { gatewayLogLevel: process.env.GATEWAY_LOG_LEVEL } : {}),
      // e.g. GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/gateway-profile'
      ...(process.env.GATEWAY_NODE_ARGS ? { gatewayNodeArgs: process.env.GATEWAY_NODE_ARGS.split(' ') } : {}),
    }),
  'tip-webhooks': (infra) => benchTipWebhooks(infra, Number(process.argv[3] ?? 10_000)),
};
const bench = benches[process.argv[2] ?? ''];
if (!bench) {
  process.stderr.write(`usage: run-one.ts <${Object.keys(benches).join('|')}> [count]\n`);
  process.exit(2);
}
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = join(root, '.data', 'bench');
const [postgres, nats, chain] = await Promise.all([
  ensurePostgres(dataDir),
  ensureNats(dataDir),
  ensureChain(),
]);
const infra = {
  databaseUrl: postgres.url,
  natsUrl: nats.url,
  chainsJson: chain.chainsJson,
  namespace: `bench${randomBytes(4).toString('hex')}`,
};
try {
  const rows = await bench(infra);
  process.stdout.write(`\n${renderTable(rows)}\n`);
} finally {
  await Promise.allSettled([chain.stop(), nats.stop(), postgres.stop()]);
}
