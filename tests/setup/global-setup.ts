import { join } from 'node:path';
import {
  dockerEngineAvailable,
  ensureChain,
  ensureNats,
  ensurePostgres,
  natsContainer,
  postgresContainer,
} from '@coterie/infra/devstack';
import type { TestProject } from 'vitest/node';
import {
  readReliabilitySummary,
  renderReliabilitySummary,
  resetReliabilitySummary,
} from '../support/reliability-summary.ts';

/**
 * Provides PostgreSQL, NATS (JetStream) and the dev chain to every test file: the URLs in
 * DATABASE_URL / NATS_URL / CHAINS when set; otherwise containers (testcontainers) when a Docker
 * engine runs, else embedded PostgreSQL and a local nats-server; all stopped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  resetReliabilitySummary();
  const dataDir = join(project.config.root, '.data', 'test');
  const docker = (!process.env.DATABASE_URL || !process.env.NATS_URL) && dockerEngineAvailable();
  const [postgres, nats, chain] = await Promise.all([
    docker && !process.env.DATABASE_URL ? postgresContainer() : ensurePostgres(dataDir),
    docker && !process.env.NATS_URL ? natsContainer() : ensureNats(dataDir),
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
    const summary = renderReliabilitySummary(readReliabilitySummary());
    if (summary) process.stdout.write(`\n${summary}\n`);
  };
}
