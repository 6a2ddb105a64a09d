import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTransaction } from '@coterie/db';
import { eventually } from '@coterie/testing';
import { freePort, isPortOpen, waitFor } from '@coterie/testing/ports';
import { afterEach, describe, expect, it } from 'vitest';
import { appendToOutbox, newEvent, startOutboxRelay } from '../src/index.ts';
import { type MessagingFixture, messagingFixture, probeRecorded, streamMessages } from './fixture.ts';

const meta = { source: 'test' };

describe('outbox', () => {
  let f: MessagingFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('publishes an event written in a committed transaction exactly once', async () => {
    f = await messagingFixture();
    const relay = startOutboxRelay({ pool: f.pool, js: f.js, naming: f.naming, logger: f.logger });
    const event = newEvent(probeRecorded, { n: 1 }, meta);
    await withTransaction(f.pool, (client) => appendToOutbox(client, event));
    relay.wake();
    const fx = f;
    await eventually(async () => (await streamMessages(fx)).length === 1);
    await relay.drain();
    await relay.stop();
    expect((await streamMessages(f)).map((m) => m.id)).toEqual([event.id]);
    expect(await relay.backlog()).toBe(0);
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    f = await messagingFixture();
    const fx = f;
    await expect(
      withTransaction(fx.pool, async (client) => {
        await appendToOutbox(client, newEvent(probeRecorded, { n: 1 }, meta));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const relay = startOutboxRelay({ pool: f.pool, js: f.js, naming: f.naming, logger: f.logger });
    expect(await relay.drain()).toBe(0);
    await relay.stop();
    expect(await streamMessages(f)).toEqual([]);
  });

  it('publishes once when the relay dies between publish and mark', async () => {
    f = await messagingFixture();
    const event = newEvent(probeRecorded, { n: 2 }, meta);
    await withTransaction(f.pool, (client) => appendToOutbox(client, event));
    // The relay's own loop publishes at once: wait for it to die after publishing, then stop it.
    let died: () => void = () => {};
    const diedAfterPublish = new Promise<void>((resolve) => {
      died = resolve;
    });
    const crashing = startOutboxRelay({
      pool: f.pool,
      js: f.js,
      naming: f.naming,
      logger: f.logger,
      pollIntervalMs: 60_000,
      afterPublish: () => {
        died();
        throw new Error('killed after publish');
      },
    });
    await diedAfterPublish;
    await crashing.stop();
    // The row is still unpublished: a new relay (the restarted process) sends it again.
    const pending = await f.pool.query('SELECT id FROM outbox WHERE published_at IS NULL');
    expect(pending.rows.map((r) => r.id)).toEqual([event.id]);
    const relay = startOutboxRelay({ pool: f.pool, js: f.js, naming: f.naming, logger: f.logger });
    await relay.drain();
    await relay.stop();
    expect(await relay.backlog()).toBe(0);
    expect((await streamMessages(f)).map((m) => m.id)).toEqual([event.id]);
  });

  it('keeps events committed while NATS is down and publishes them when it returns', async () => {
    const port = await freePort();
    const storeDir = await mkdtemp(join(tmpdir(), 'coterie-nats-'));
    const startNats = async () => {
      const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
        stdio: 'ignore',
      });
      await waitFor(() => isPortOpen(port), 'nats-server');
      return child;
    };
    let nats = await startNats();
    try {
      f = await messagingFixture(`nats://127.0.0.1:${port}`);
      const relay = startOutboxRelay({
        pool: f.pool,
        js: f.js,
        naming: f.naming,
        logger: f.logger,
        pollIntervalMs: 100,
      });
      const stopped = new Promise((r) => nats.once('exit', r));
      nats.kill('SIGKILL');
      await stopped;
      const event = newEvent(probeRecorded, { n: 3 }, meta);
      await withTransaction(f.pool, (client) => appendToOutbox(client, event));
      relay.wake();
      await new Promise((r) => setTimeout(r, 500));
      expect(await relay.backlog()).toBe(1);
      nats = await startNats();
      const fx = f;
      await eventually(async () => (await relay.backlog()) === 0, { timeoutMs: 20_000 });
      await relay.stop();
      expect((await streamMessages(fx)).map((m) => m.id)).toEqual([event.id]);
    } finally {
      await f?.close();
      f = undefined;
      nats.kill('SIGTERM');
      await rm(storeDir, { recursive: true, force: true });
    }
  });
});
