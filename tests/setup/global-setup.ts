import { join } from 'node:path';
import { ensureChain, ensureNats, ensurePostgres } from '@coterie/infra/devstack';
import type { TestProject } from 'vitest/node';

/**
 * Provides PostgreSQL, NATS (JetStream) and the dev chain to every test file: the URLs in
 * DATABASE_URL / NATS_URL / CHAINS when set, otherwise servers started here and stopped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = join(project.config.root, '.data', 'test');
  const [postgres, nats, chain] = await Promise.all([
    ensurePostgres(dataDir),
    ensureNats(dataDir),
    ensureChain(),
  ]);
  project.provide('infra', {
    databaseUrl: postgres.url,
    natsUrl: nats.url,
    chainsJson: chain.chainsJson,
    ...(chain.demo ? { demo: chain.demo } : {}),
  });
  return async () => {
    await Promise.allSettled([chain.stop(), nats.stop(), postgres.stop()]);
  };
}
