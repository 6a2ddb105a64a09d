import { withTransaction } from '@coterie/db';
import { eventually } from '@coterie/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BatchHandler,
  claimInboxBatch,
  handleOnce,
  newEvent,
  type RunningConsumer,
  startConsumer,
} from '../src/index.ts';
import { type MessagingFixture, messagingFixture, probeRecorded } from './fixture.ts';

const CONSUMER = 'test--probe-batches';

describe('consumer runner in batch mode', () => {
  let f: MessagingFixture | undefined;
  let consumer: RunningConsumer | undefined;
  afterEach(async () => {
    await consumer?.stop();
    await f?.close();
    consumer = undefined;
    f = undefined;
  });

  async function effects(fx: MessagingFixture): Promise<number[]> {
    return (await fx.pool.query<{ n: number }>('SELECT n FROM effects ORDER BY n')).rows.map((r) => r.n);
  }

  async function publish(fx: MessagingFixture, ns: readonly number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const n of ns) {
      const event = newEvent(probeRecorded, { n }, { source: 'test' });
      await fx.js.publish(fx.naming.subject(probeRecorded.subject), JSON.stringify(event), {
        msgID: event.id,
      });
      ids.push(event.id);
    }
    return ids;
  }

  /**
   * A consumer whose batches are one transaction (inbox claim + effects) and whose single path is
   * `handleOnce`; `failing` decides which events make either path throw.
   */
  async function start(
    fx: MessagingFixture,
    options: {
      batches?: number[][];
      singles?: number[];
      failBatch?: (ns: number[]) => boolean;
      failSingle?: (n: number) => boolean;
      maxBatch?: number;
    } = {},
  ) {
    const insert = (
      client: { query: (sql: string, values: unknown[]) => Promise<unknown> },
      id: string,
      n: number,
    ) => client.query('INSERT INTO effects (event_id, n) VALUES ($1, $2)', [id, n]);
    const handleBatch: BatchHandler = async (items) => {
      const ns = items.map((item) => probeRecorded.parse(item.event).data.n);
      options.batches?.push(ns);
      await withTransaction(fx.pool, async (client) => {
        const claimed = await claimInboxBatch(
          client,
          CONSUMER,
          items.map((item) => item.event.id),
        );
        for (const item of items) {
          if (claimed.delete(item.event.id))
            await insert(client, item.event.id, probeRecorded.parse(item.event).data.n);
        }
        // A crash after the effects but before commit: the whole batch rolls back.
        if (options.failBatch?.(ns)) throw new Error(`batch crashed on ${ns.join(',')}`);
      });
    };
    return startConsumer({
      js: fx.js,
      jsm: fx.jsm,
      naming: fx.naming,
      logger: fx.logger,
      context: 'identity',
      durable: CONSUMER,
      events: [probeRecorded],
      backoffMs: () => 50,
      ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
      handle: async (event) => {
        const { n } = probeRecorded.parse(event).data;
        options.singles?.push(n);
        await handleOnce(fx.pool, CONSUMER, event, async (client) => {
          await insert(client, event.id, n);
          if (options.failSingle?.(n)) throw new Error(`handler crashed on ${n}`);
        });
      },
      handleBatch,
    });
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('hands a burst over in batches (none larger than maxBatch), applies each event once, acks them all', async () => {
    f = await messagingFixture();
    const fx = f;
    // Already on the stream when the consumer starts: they arrive as one burst.
    await publish(fx, range(1, 50));
    const batches: number[][] = [];
    consumer = await start(fx, { batches, maxBatch: 16 });
    await eventually(() => consumer?.stats.handled === 50);
    expect(await effects(fx)).toEqual(range(1, 50));
    expect(batches.some((b) => b.length > 1)).toBe(true);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(16);
    // In stream order within each batch.
    for (const b of batches) expect(b).toEqual([...b].sort((x, y) => x - y));
    expect(consumer.stats).toEqual({ handled: 50, failed: 0, terminated: 0 });
    await eventually(async () => (await consumer?.pending()) === 0);
  });

  it('falls back to one message at a time when a batch fails: the bad event is retried alone, the others land', async () => {
    f = await messagingFixture();
    const fx = f;
    await publish(fx, range(1, 20));
    const singles: number[] = [];
    let badFailures = 0;
    consumer = await start(fx, {
      singles,
      // Any batch holding 7 fails; alone, 7 fails twice and then succeeds (a transient error).
      failBatch: (ns) => ns.includes(7),
      failSingle: (n) => n === 7 && ++badFailures <= 2,
    });
    await eventually(() => consumer?.stats.handled === 20, { timeoutMs: 15_000 });
    expect(await effects(fx)).toEqual(range(1, 20));
    expect(consumer.stats.failed).toBe(2);
    expect(singles.filter((n) => n === 7).length).toBe(3);
    // The batch holding 7 was retried message by message.
    expect(singles.filter((n) => n !== 7).length).toBeGreaterThan(0);
    await eventually(async () => (await consumer?.pending()) === 0);
  });

  it('terminates poison in the middle of a burst and batches the valid messages around it', async () => {
    f = await messagingFixture();
    const fx = f;
    const subject = fx.naming.subject(probeRecorded.subject);
    await publish(fx, range(1, 5));
    await fx.js.publish(subject, '{not json');
    await fx.js.publish(
      subject,
      JSON.stringify({ ...newEvent(probeRecorded, { n: 99 }, { source: 't' }), data: 'x' }),
    );
    await publish(fx, range(6, 10));
    const batches: number[][] = [];
    consumer = await start(fx, { batches });
    await eventually(() => consumer?.stats.handled === 10);
    expect(consumer.stats.terminated).toBe(2);
    expect(await effects(fx)).toEqual(range(1, 10));
    expect(batches.some((b) => b.length > 1)).toBe(true);
    await eventually(async () => (await consumer?.pending()) === 0);
  });

  it('has one effect for an event on the stream twice, even inside one batch', async () => {
    f = await messagingFixture();
    const fx = f;
    const event = newEvent(probeRecorded, { n: 1 }, { source: 'test' });
    const subject = fx.naming.subject(probeRecorded.subject);
    // No msgID: as if redelivered by Stripe past the broker's duplicate window.
    await fx.js.publish(subject, JSON.stringify(event));
    await fx.js.publish(subject, JSON.stringify(event));
    await publish(fx, [2]);
    consumer = await start(fx);
    await eventually(() => consumer?.stats.handled === 3);
    expect(await effects(fx)).toEqual([1, 2]);
  });

  it('handles a lone message at once, through the single-message path', async () => {
    f = await messagingFixture();
    const fx = f;
    const batches: number[][] = [];
    const singles: number[] = [];
    consumer = await start(fx, { batches, singles });
    // A first message, so the pull subscription is surely live before timing the next one.
    await publish(fx, [1]);
    await eventually(() => consumer?.stats.handled === 1);
    const started = performance.now();
    await publish(fx, [2]);
    await eventually(() => consumer?.stats.handled === 2, { intervalMs: 5 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(singles).toEqual([1, 2]);
    expect(batches).toEqual([]);
  });
});
