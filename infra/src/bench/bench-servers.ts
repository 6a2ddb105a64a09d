import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChain, ensureNats, ensurePostgres } from '../devstack/index.ts';
import type { BenchInfraUrls } from './bench-platform.ts';

/**
 * PostgreSQL, NATS and the dev chain for a benchmark run (the URLs in the environment when set,
 * else started under `.data/bench`), and a fresh namespace for it.
 */
export async function startBenchServers() {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const dataDir = join(root, '.data', 'bench');
  const [postgres, nats, chain] = await Promise.all([
    ensurePostgres(dataDir),
    ensureNats(dataDir),
    ensureChain(),
  ]);
  const infra: BenchInfraUrls = {
    databaseUrl: postgres.url,
    natsUrl: nats.url,
    chainsJson: chain.chainsJson,
    namespace: `bench${randomBytes(4).toString('hex')}`,
  };
  return {
    infra,
    chain,
    stop: async () => {
      await Promise.allSettled([chain.stop(), nats.stop(), postgres.stop()]);
    },
  };
}
