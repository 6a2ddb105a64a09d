import { spawnSync } from 'node:child_process';
import type { Provided } from './ensure-postgres.ts';

/** True only when a Docker engine answers (the CLI alone is not enough). */
export function dockerEngineAvailable(): boolean {
  const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}

/** PostgreSQL 16 in a container, for test runs on machines with Docker and no DATABASE_URL. */
export async function postgresContainer(): Promise<Provided> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return {
    url: container.getConnectionUri(),
    started: true,
    stop: async () => void (await container.stop()),
  };
}

/** NATS with JetStream in a container, for test runs on machines with Docker and no NATS_URL. */
export async function natsContainer(): Promise<Provided> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
    started: true,
    stop: async () => void (await container.stop()),
  };
}
