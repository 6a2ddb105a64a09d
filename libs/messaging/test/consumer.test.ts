import { eventually } from '@coterie/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { handleOnce, newEvent, type RunningConsumer, startConsumer } from '../src/index.ts';
import { type MessagingFixture, messagingFixture, probeRecorded } from './fixture.ts';

describe('consumer runner with inbox', () => {
  let f: MessagingFixture | undefined;
  let consumer: RunningConsumer | undefined;
  afterEach(async () => {
    await consumer?.stop();
    await f?.close();
    consumer = undefined;
    f = undefined;
  });

  async function effects(fx: MessagingFixture): Promise<{ event_id: string; n: number }[]> {
    return (
      await fx.pool.query<{ event_id: string; n: number }>('SELECT event_id, n FROM effects ORDER BY n')
    ).rows;
  }

  async function start(fx: MessagingFixture, failFirst = new Set<number>()) {
    return startConsumer({
      js: fx.js,
      jsm: fx.jsm,
      naming: fx.naming,
      logger: fx.logger,
      context: 'identity',
      durable: 'test--probe',
      events: [probeRecorded],
      backoffMs: () => 50,
      handle: async (event) => {
        const { n } = probeRecorded.parse(event).data;
        await handleOnce(fx.pool, 'test--probe', event, async (client) => {
          await client.query('INSERT INTO effects (event_id, n) VALUES ($1, $2)', [event.id, n]);
          // A crash after the effect but before commit: the transaction rolls back.
          if (failFirst.delete(n)) throw new Error(`handler crashed on ${n}`);
        });
      },
    });
  }

  it('has one effect for an event delivered twice, inside and outside the dedupe window', async () => {
    f = await messagingFixture();
    const event = newEvent(probeRecorded, { n: 1 }, { source: 'test' });
    const subject = f.naming.subject(probeRecorded.subject);
    await f.js.publish(subject, JSON.stringify(event), { msgID: event.id });
    await f.js.publish(subject, JSON.stringify(event), { msgID: event.id }); // dropped by JetStream
    await f.js.publish(subject, JSON.stringify(event)); // no msgID: as if outside the window
    consumer = await start(f);
    const fx = f;
    await eventually(() => consumer?.stats.handled === 2);
    expect(await effects(fx)).toEqual([{ event_id: event.id, n: 1 }]);
    expect(await consumer.pending()).toBe(0);
  });

  it('redelivers after a handler crash and still has one effect', async () => {
    f = await messagingFixture();
    const event = newEvent(probeRecorded, { n: 7 }, { source: 'test' });
    await f.js.publish(f.naming.subject(probeRecorded.subject), JSON.stringify(event), { msgID: event.id });
    consumer = await start(f, new Set([7]));
    const fx = f;
    await eventually(() => consumer?.stats.handled === 1);
    expect(consumer.stats.failed).toBe(1);
    expect(await effects(fx)).toEqual([{ event_id: event.id, n: 7 }]);
  });

  it('terminates an unparseable message and goes on with the next one', async () => {
    f = await messagingFixture();
    const subject = f.naming.subject(probeRecorded.subject);
    await f.js.publish(subject, '{not json');
    await f.js.publish(
      subject,
      JSON.stringify({ ...newEvent(probeRecorded, { n: 1 }, { source: 't' }), data: 'x' }),
    );
    const good = newEvent(probeRecorded, { n: 2 }, { source: 'test' });
    await f.js.publish(subject, JSON.stringify(good), { msgID: good.id });
    consumer = await start(f);
    const fx = f;
    await eventually(() => consumer?.stats.handled === 1);
    expect(consumer.stats.terminated).toBe(2);
    expect(await effects(fx)).toEqual([{ event_id: good.id, n: 2 }]);
    await eventually(async () => (await consumer?.pending()) === 0);
  });
});
