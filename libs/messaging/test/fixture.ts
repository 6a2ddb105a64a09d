import { defineEvent } from '@coterie/contracts';
import { createPool, migrate, type Pool, schemaNameFor } from '@coterie/db';
import { createLogger } from '@coterie/logger';
import { dropNamespace, testInfra, uniqueNamespace } from '@coterie/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { z } from 'zod';
import {
  connectNats,
  createNaming,
  ensureStreams,
  messagingMigrations,
  type Naming,
  type NatsConnection,
} from '../src/index.ts';

export const probeRecorded = defineEvent({
  type: 'identity.probe.recorded',
  version: 1,
  data: z.object({ n: z.number().int() }),
});

export interface MessagingFixture {
  namespace: string;
  naming: Naming;
  pool: Pool;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: ReturnType<typeof createLogger>;
  close(): Promise<void>;
}

/** One isolated namespace: a schema with the outbox/inbox tables plus an `effects` table, and the IDENTITY stream. */
export async function messagingFixture(natsUrl = testInfra().natsUrl): Promise<MessagingFixture> {
  const namespace = uniqueNamespace('msg');
  const naming = createNaming(namespace);
  const schema = schemaNameFor('identity', namespace);
  const pool = createPool({ connectionString: testInfra().databaseUrl, schema });
  await migrate(pool, schema, [messagingMigrations]);
  await pool.query('CREATE TABLE effects (event_id uuid NOT NULL, n integer NOT NULL)');
  const nc = await connectNats({ url: natsUrl, name: namespace });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureStreams(jsm, naming, ['identity']);
  const logger = createLogger({ name: 'test', level: 'silent' });
  return {
    namespace,
    naming,
    pool,
    nc,
    js,
    jsm,
    logger,
    close: async () => {
      await nc.close();
      await pool.end();
      await dropNamespace(namespace);
    },
  };
}

/** All messages in the namespace's IDENTITY stream, as parsed envelopes. */
export async function streamMessages(f: MessagingFixture): Promise<{ id: string; data: unknown }[]> {
  const stream = f.naming.stream('identity');
  const info = await f.jsm.streams.info(stream);
  const out: { id: string; data: unknown }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await f.jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (msg) out.push(msg.json());
  }
  return out;
}
