import { connectNats } from '@coterie/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { benchAnalytics } from '../../../services/analytics/bench/analytics-bench.ts';
import {
  benchEntitlementsCheck,
  benchReverifyHolders,
} from '../../../services/entitlements/bench/entitlements-bench.ts';
import { startBenchServers } from './bench-servers.ts';
import { benchGatedRead } from './gated-read-bench.ts';
import { benchGovernance } from './governance-bench.ts';
import { benchOutboxRelay, benchRpcRoundTrip } from './messaging-bench.ts';
import { benchSiweSignIns } from './siwe-bench.ts';
import { type BenchRow, renderTable } from './table.ts';
import { benchTipWebhooks } from './tip-webhooks-bench.ts';

/**
 * `pnpm bench`: every benchmark, printed as figure | value | target | verdict. Targets that
 * depend on the machine's speed are stated as ratios against a baseline measured in the same run.
 */
const servers = await startBenchServers();
const { infra, chain } = servers;

const rows: BenchRow[] = [];
try {
  // The gated read as shipped (LOG_LEVEL=info: a log line per request), then with the gateway at
  // warn, which operators at scale run with (infra/README.md); each against its own baseline.
  rows.push(...(await benchGatedRead(infra, { label: 'gateway LOG_LEVEL=info' })));
  rows.push(...(await benchGatedRead(infra, { gatewayLogLevel: 'warn', label: 'gateway LOG_LEVEL=warn' })));
  // What observability costs: the same at warn with the OpenTelemetry SDK off (no async context,
  // no spans, no trace ids in logs). Not a way to run Coterie: no target.
  rows.push(
    ...(await benchGatedRead(infra, {
      gatewayLogLevel: 'warn',
      gatewayEnv: { OTEL_SDK_DISABLED: 'true' },
      label: 'LOG_LEVEL=warn, OpenTelemetry SDK off',
      informational: true,
    })),
  );
  rows.push(await benchRpcRoundTrip(infra));
  rows.push(await benchOutboxRelay(infra));
  rows.push(...(await benchSiweSignIns(infra)));
  rows.push(await benchEntitlementsCheck(infra));
  rows.push(...(await benchReverifyHolders(infra, { devChain: chain.demo })));
  if (chain.demo) {
    rows.push(
      ...(await benchGovernance({
        ...infra,
        rpcUrl: chain.demo.rpcUrl,
        communityToken: chain.demo.contracts.CommunityToken as `0x${string}`,
        multicall3: '0xcA11bde05977b3631167028862bE2a173976CA11',
      })),
    );
  }
  rows.push(...(await benchTipWebhooks(infra)));
  rows.push(...(await benchAnalytics(infra)));
} finally {
  await cleanup();
  await servers.stop();
}
process.stdout.write(`\n${renderTable(rows)}\n`);
process.exit(rows.some((r) => r.verdict === 'fail') ? 1 : 0);

async function cleanup(): Promise<void> {
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  const { rows: schemas } = await client.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '\\_%'",
    [infra.namespace],
  );
  for (const { nspname } of schemas) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  await client.end();
  const nc = await connectNats({ url: infra.natsUrl, name: 'bench-cleanup' });
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names())
    if (name.startsWith(`${infra.namespace}_`)) await jsm.streams.delete(name);
  await nc.close();
}
