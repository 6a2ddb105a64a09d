import { benchAnalytics } from '../../../services/analytics/bench/analytics-bench.ts';
import { startBenchServers } from './bench-servers.ts';
import { benchGatedRead } from './gated-read-bench.ts';
import { type BenchRow, renderTable } from './table.ts';
import { benchTipWebhooks } from './tip-webhooks-bench.ts';

/**
 * One benchmark alone, for tuning: `node --import tsx infra/src/bench/run-one.ts <name>` with
 * `gated-read`, `tip-webhooks` or `analytics` (optional count). `pnpm bench` runs them all.
 */
const benches: Record<string, (infra: Parameters<typeof benchGatedRead>[0]) => Promise<BenchRow[]>> = {
  'gated-read': (infra) =>
    benchGatedRead(infra, {
      ...(process.env.GATEWAY_LOG_LEVEL ? { gatewayLogLevel: process.env.GATEWAY_LOG_LEVEL } : {}),
      // e.g. GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/gateway-profile'
      // e.g. GATEWAY_ENV='{"OTEL_TRACES_SAMPLER":"parentbased_traceidratio"}'
      ...(process.env.GATEWAY_ENV ? { gatewayEnv: JSON.parse(process.env.GATEWAY_ENV) } : {}),
      ...(process.env.GATEWAY_NODE_ARGS ? { gatewayNodeArgs: process.env.GATEWAY_NODE_ARGS.split(' ') } : {}),
    }),
  'tip-webhooks': (infra) => benchTipWebhooks(infra, Number(process.argv[3] ?? 10_000)),
  analytics: (infra) =>
    benchAnalytics(infra, {
      log: (line) => process.stderr.write(`${line}\n`),
      events: Number(process.argv[3] ?? 1_000_000),
    }),
};
const bench = benches[process.argv[2] ?? ''];
if (!bench) {
  process.stderr.write(`usage: run-one.ts <${Object.keys(benches).join('|')}> [count]\n`);
  process.exit(2);
}
const servers = await startBenchServers();
try {
  const rows = await bench(servers.infra);
  process.stdout.write(`\n${renderTable(rows)}\n`);
} finally {
  await servers.stop();
}
