import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { testInfra } from './infra.ts';

/**
 * A fresh deployment namespace: its own schemas (`<ns>_<service>`), streams (`<ns>_IDENTITY`)
 * and subjects (`<ns>.identity.…`), so tests run in parallel on the same servers.
 */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** The environment (strings, as a process sees it) a service of `namespace` needs. */
export function serviceEnvFor(namespace: string): Record<string, string> {
  const infra = testInfra();
  return {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    COTERIE_NAMESPACE: namespace,
    LOG_LEVEL: 'silent',
    NATS_STREAM_REPLICAS: '1',
    CHAINS: infra.chainsJson,
  };
}

/** Drops the namespace's schemas and streams. */
export async function dropNamespace(namespace: string): Promise<void> {
  const infra = testInfra();
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '\\_%'",
      [namespace],
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
  const nc = await connect({ servers: infra.natsUrl.split(','), name: 'test-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${namespace}_`)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
