import { createLogger } from '@coterie/logger';
import { connectNats, createNaming, ensureStreams, type NatsConnection } from '@coterie/messaging';
import { dropNamespace, eventually, testInfra, uniqueNamespace } from '@coterie/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvents } from '../../src/adapters/event-feed.ts';

const namespace = uniqueNamespace('feed');
const naming = createNaming(namespace);
const logger = createLogger({ name: 'test', level: 'silent' });
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connectNats({ url: testInfra().natsUrl, name: 'event-feed-test' });
  await ensureStreams(await jetstreamManager(nc), naming, ['entitlements']);
});
afterAll(async () => {
  await nc?.close();
  await dropNamespace(namespace);
});

const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled in ${ms} ms`)), ms)),
  ]);

describe('the gateway’s event feeds', () => {
  it('delivers new events, reports itself live, and stops at any moment of its start-up', async () => {
    const seen: string[] = [];
    const live: boolean[] = [];
    const feed = followEvents({
      nc,
      naming,
      logger,
      name: 'test-feed',
      context: 'entitlements',
      filterSubject: 'entitlements.>',
      onEvent: (subject) => seen.push(subject),
      onLiveChange: (value) => live.push(value),
    });
    await eventually(() => {
      expect(live).toContain(true);
      return true;
    });
    await jetstream(nc).publish(naming.subject('entitlements.tier.updated.v1'), '{}');
    await eventually(() => {
      expect(seen).toEqual(['entitlements.tier.updated.v1']);
      return true;
    });
    await within(2_000, feed.stop());
    expect(live.at(-1)).toBe(false);

    // Stopped right after starting, or a few milliseconds in (while the consumer is being made):
    // stop() must always return.
    for (let i = 0; i < 30; i += 1) {
      const quick = followEvents({
        nc,
        naming,
        logger,
        name: 'test-feed',
        context: 'entitlements',
        filterSubject: 'entitlements.>',
        onEvent: () => {},
        onLiveChange: () => {},
      });
      await new Promise((resolve) => setTimeout(resolve, i % 6));
      await within(2_000, quick.stop());
    }
  });
});
