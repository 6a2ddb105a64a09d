import { pathToFileURL } from 'node:url';
import { loadConfigOrExit } from '@coterie/config';
import type { Context, Envelope } from '@coterie/contracts';
import { assertIdentifier, createPool, migrate, type Pool, schemaNameFor } from '@coterie/db';
import { createLogger, type Logger } from '@coterie/logger';
import { connectNats, createNaming, messagingMigrations, type Naming } from '@coterie/messaging';
import { type Consumer, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { MIGRATIONS_DIR } from './app.ts';
import { ingestBatch } from './application/ingest-batch.ts';
import { type Config, configSchema } from './config.ts';
import { projectorsBySubject, SOURCE_CONTEXTS } from './handlers/events/index.ts';

export interface RebuildOptions {
  config: Config;
  logger?: Logger;
  /** Events applied per transaction (default 2,000). */
  batchSize?: number;
}

export interface RebuildResult {
  schema: string;
  /** Events applied per stream (before the swap, then after it). */
  applied: Partial<Record<Context, number>>;
  ms: number;
}

interface StreamReader {
  context: Context;
  consumer: Consumer;
  /** The stream sequence of the last message read. */
  lastSeq: number;
}

/**
 * Rebuilds every projection from the streams: a fresh schema `<schema>_rebuild` with the same
 * migrations is filled by temporary ordered consumers (from each stream's first message, in
 * batches, through the live projectors and inbox keys) until caught up; then, in one transaction,
 * unpublished outbox rows and NPS guards are carried over and the schemas are renamed (the old one
 * is dropped). The readers then catch up once more into the swapped-in schema, so events that the
 * live consumers applied to the old schema in the meantime are not lost (the shared inbox keys
 * make the live consumers skip what the rebuild applied, and the other way round).
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const started = performance.now();
  const { config } = options;
  const logger = options.logger ?? createLogger({ name: 'analytics-rebuild', level: config.LOG_LEVEL });
  const batchSize = options.batchSize ?? 2_000;
  const live = schemaNameFor('analytics', config.COTERIE_NAMESPACE);
  const fresh = `${live}_rebuild`;
  const retired = `${live}_retired`;
  for (const name of [fresh, retired]) assertIdentifier(name);
  const naming = createNaming(config.COTERIE_NAMESPACE);
  const applied: Partial<Record<Context, number>> = {};

  const admin = createPool({ connectionString: config.DATABASE_URL, schema: 'public', max: 2 });
  const freshPool = createPool({ connectionString: config.DATABASE_URL, schema: fresh });
  const livePool = createPool({ connectionString: config.DATABASE_URL, schema: live });
  const nc = await connectNats({ url: config.NATS_URL, name: 'analytics-rebuild' });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    await migrate(freshPool, fresh, [messagingMigrations, { component: 'service', dir: MIGRATIONS_DIR }]);
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const readers: StreamReader[] = [];
    for (const context of SOURCE_CONTEXTS) {
      const stream = naming.stream(context);
      if (!(await jsm.streams.info(stream).catch(() => undefined))) continue;
      const consumer = await js.consumers.get(stream, {
        filter_subjects: naming.subject(`${context}.*.*.*`),
      });
      readers.push({ context, consumer, lastSeq: 0 });
    }
    for (const reader of readers) {
      const n = await catchUp(reader, freshPool, naming, jsm, batchSize, logger);
      applied[reader.context] = (applied[reader.context] ?? 0) + n;
    }
    await swap(admin, live, fresh, retired);
    logger.info({ schema: live }, 'rebuilt projections swapped in');
    for (const reader of readers) {
      const n = await catchUp(reader, livePool, naming, jsm, batchSize, logger);
      applied[reader.context] = (applied[reader.context] ?? 0) + n;
    }
    await admin.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    return { schema: live, applied, ms: Math.round(performance.now() - started) };
  } finally {
    await nc.close();
    await Promise.allSettled([admin.end(), freshPool.end(), livePool.end()]);
  }
}

/** Reads a stream from where its ordered consumer stands until nothing is pending, in batches. */
async function catchUp(
  reader: StreamReader,
  pool: Pool,
  naming: Naming,
  jsm: JetStreamManager,
  batchSize: number,
  logger: Logger,
): Promise<number> {
  let applied = 0;
  const stream = naming.stream(reader.context);
  for (;;) {
    const info = await jsm.streams.info(stream);
    if (info.state.messages === 0 || reader.lastSeq >= info.state.last_seq) return applied;
    const batch: { subject: string; event: Envelope }[] = [];
    // Ask for no more than what remains, so the last fetch does not wait for its expiry.
    const remaining = info.state.last_seq - Math.max(reader.lastSeq, info.state.first_seq - 1);
    const messages = await reader.consumer.fetch({
      max_messages: Math.min(batchSize, remaining),
      expires: 2_000,
    });
    for await (const msg of messages) {
      reader.lastSeq = msg.seq;
      const subject = naming.logicalSubject(msg.subject);
      const projector = projectorsBySubject.get(subject);
      if (!projector) continue;
      try {
        batch.push({ subject, event: projector.def.parse(msg.json()) });
      } catch (error) {
        logger.error({ err: error, subject, seq: msg.seq }, 'skipped a malformed event');
      }
    }
    applied += await ingestBatch(pool, reader.context, batch);
  }
}

async function swap(admin: Pool, live: string, fresh: string, retired: string): Promise<void> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [live]);
    if (rows.length > 0) {
      // What only the command side knows: events not yet published, and the NPS guards they imply.
      await client.query(
        `INSERT INTO ${fresh}.outbox SELECT * FROM ${live}.outbox WHERE published_at IS NULL ON CONFLICT DO NOTHING`,
      );
      await client.query(
        `INSERT INTO ${fresh}.nps_last_answer SELECT * FROM ${live}.nps_last_answer
         ON CONFLICT (community_id, member_id) DO UPDATE SET at = GREATEST(${fresh}.nps_last_answer.at, excluded.at)`,
      );
      await client.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
    }
    await client.query(`ALTER SCHEMA ${fresh} RENAME TO ${live}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfigOrExit(configSchema);
  const logger = createLogger({ name: 'analytics-rebuild', level: config.LOG_LEVEL });
  rebuildProjections({ config, logger })
    .then((result) => {
      logger.info(result, 'analytics projections rebuilt');
      process.exit(0);
    })
    .catch((error) => {
      logger.error({ err: error }, 'rebuild failed');
      process.exit(1);
    });
}
