import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChain, ensureNats, ensurePostgres } from '../devstack/index.ts';
import { benchGatedRead } from './gated-read-bench.ts';
import { renderTable } from './table.ts';

/** Only the gated-read bench (`node --import tsx infra/src/bench/run-gated-read.ts`), for tuning. */
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
  const rows = await benchGatedRead(infra, {
    ...(process.env.GATEWAY_LOG_LEVEL ? { gatewayLogLevel: process.env.GATEWAY_LOG_LEVEL } : {}),
    // e.g. GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/gateway-profile'
    ...(process.env.GATEWAY_NODE_ARGS ? { gatewayNodeArgs: process.env.GATEWAY_NODE_ARGS.split(' ') } : {}),
  });
  process.stdout.write(`\n${renderTable(rows)}\n`);
} finally {
  await Promise.allSettled([chain.stop(), nats.stop(), postgres.stop()]);
}
