import type { Pool } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import { contextFromTraceHeaders, injectTraceContext, SpanKind, withSpan } from '@coterie/telemetry';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Naming } from './naming.ts';

export interface OutboxRelayOptions {
  pool: Pool;
  js: JetStreamClient;
  naming: Naming;
  logger: Logger;
  batchSize?: number;
  /** How often to look for rows when nobody called `wake()` (other replicas' writes). */
  pollIntervalMs?: number;
  publishTimeoutMs?: number;
  /** Fault injection for tests: runs after a row was published and before it is marked. */
  afterPublish?: (outboxId: string) => void | Promise<void>;
}

export interface OutboxRelay {
  /** Call after a commit that wrote outbox rows, to publish without waiting for the poll. */
  wake(): void;
  /** Publishes everything pending now; resolves with the number published. */
  drain(): Promise<number>;
  /** Rows not yet published (for readiness and metrics). */
  backlog(): Promise<number>;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
  trace_headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows to JetStream with `msgID = row id`, then marks them.
 * A crash between publish and mark republishes the same id, which JetStream drops inside
 * its duplicate window and every inbox drops after it. While NATS is down rows simply wait.
 * Replicas share the table: `FOR UPDATE SKIP LOCKED` gives each row to one relay at a time.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 256;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let failures = 0;

  async function publishBatch(): Promise<number> {
    return withTransaction(options.pool, async (client) => {
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, subject, envelope, trace_headers FROM outbox
         WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      // Pipelined on one connection: the server receives them in order.
      const results = await Promise.allSettled(rows.map((row) => publishRow(row)));
      const published = rows.filter((_, i) => results[i]?.status === 'fulfilled').map((r) => r.id);
      for (const row of rows) await options.afterPublish?.(row.id);
      if (published.length > 0) {
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [published]);
      }
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) {
        const failedIds = rows.filter((_, i) => results[i]?.status === 'rejected').map((r) => r.id);
        await client.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])',
          [failedIds, String((failed as PromiseRejectedResult).reason)],
        );
        throw (failed as PromiseRejectedResult).reason;
      }
      return published.length;
    });
  }

  async function publishRow(row: OutboxRow): Promise<void> {
    const subject = options.naming.subject(row.subject);
    await withSpan(
      `${row.subject} publish`,
      {
        kind: SpanKind.PRODUCER,
        parent: contextFromTraceHeaders(row.trace_headers),
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': subject,
          'messaging.message.id': row.id,
        },
      },
      async () => {
        const h = natsHeaders();
        injectTraceContext(h);
        await options.js.publish(subject, JSON.stringify(row.envelope), {
          msgID: row.id,
          headers: h,
          timeout: publishTimeoutMs,
        });
      },
    );
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await publishBatch();
      total += n;
      if (n < batchSize) return total;
    }
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        await drain();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) {
          options.logger.warn({ err: error, failures }, 'outbox relay could not publish; will retry');
        }
      }
      if (stopped) break;
      const delay = failures > 0 ? Math.min(5_000, 100 * 2 ** Math.min(failures, 6)) : pollIntervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  const running = loop();

  return {
    wake: () => wakeUp?.(),
    drain,
    backlog: async () => {
      const { rows } = await options.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      );
      return Number(rows[0]?.n ?? 0);
    },
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}
