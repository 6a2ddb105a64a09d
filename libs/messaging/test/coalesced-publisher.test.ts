import { afterEach, describe, expect, it } from 'vitest';
import { coalescePublishes, type JetStreamPublisher } from '../src/index.ts';
import { type MessagingFixture, messagingFixture, streamMessages } from './fixture.ts';

describe('coalescePublishes', () => {
  let f: MessagingFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('sends the publishes of one loop turn together, each with its own ack or error', async () => {
    f = await messagingFixture();
    const fx = f;
    // Counts how many publishes reach the client in each turn (what shares a socket write).
    const turns: number[] = [];
    let inTurn = 0;
    const counting: JetStreamPublisher = {
      publish: (subject, payload, options) => {
        if (inTurn === 0) {
          queueMicrotask(() => {
            turns.push(inTurn);
            inTurn = 0;
          });
        }
        inTurn += 1;
        return fx.js.publish(subject, payload, options);
      },
    };
    const publisher = coalescePublishes(counting);
    const subject = fx.naming.subject('identity.probe.recorded.v1');
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        publisher.publish(subject, JSON.stringify({ id: `probe-${n}`, data: { n } }), {
          msgID: `probe-${n}`,
        }),
      ),
    );
    expect(turns).toEqual([20]);
    expect(new Set(acks.map((a) => a.seq)).size).toBe(20);
    expect(acks.every((a) => !a.duplicate)).toBe(true);
    expect((await streamMessages(fx)).map((m) => m.id)).toEqual(
      Array.from({ length: 20 }, (_, n) => `probe-${n}`),
    );

    // A redelivered id is a duplicate for its caller only; a subject no stream takes fails alone.
    const [again, nowhere, fresh] = await Promise.allSettled([
      publisher.publish(subject, JSON.stringify({ id: 'probe-3' }), { msgID: 'probe-3' }),
      publisher.publish(fx.naming.subject('no-stream.takes.this'), '{}', { timeout: 1_000 }),
      publisher.publish(subject, JSON.stringify({ id: 'probe-20', data: { n: 20 } }), { msgID: 'probe-20' }),
    ]);
    expect(again.status === 'fulfilled' && again.value.duplicate).toBe(true);
    expect(nowhere.status).toBe('rejected');
    expect(fresh.status === 'fulfilled' && !fresh.value.duplicate).toBe(true);
  });
});
