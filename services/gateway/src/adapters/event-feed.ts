import type { Context } from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import type { Naming, NatsConnection } from '@coterie/messaging';
import { type ConsumerMessages, DeliverPolicy, jetstream } from '@nats-io/jetstream';

export interface FollowEventsOptions {
  nc: NatsConnection;
  naming: Naming;
  logger: Logger;
  /** Names the feed in logs, e.g. `gateway-session-revocations`. */
  name: string;
  /** The context whose stream is followed. */
  context: Context;
  /** Logical subject filter, e.g. `identity.session.revoked.v1` or `entitlements.>`. */
  filterSubject: string;
  /**
   * Each event as it arrives, with its logical subject. Throwing says "I could not read it": the
   * feed then reports itself not live and live again, so the caller forgets what it cached.
   */
  onEvent(subject: string, payload: unknown): void;
  /** True once the consumer exists (events from then on are seen); false when it broke. */
  onLiveChange(live: boolean): void;
  /** Pause before retrying when the stream is missing or the consumer broke. */
  retryMs?: number;
}

export interface EventFeed {
  stop(): Promise<void>;
}

/**
 * Follows one context's stream from new messages on, for an in-memory view that only needs to
 * forget (caches). An ordered consumer: ephemeral, unacknowledged, per process — every gateway
 * replica sees every event, which a shared durable would not give. It recreates itself after a
 * reconnect from the last sequence it saw, so nothing is skipped; while it is down the caller is
 * told (`onLiveChange(false)`) and must stop trusting its cache. Forgetting is idempotent, so the
 * feed needs no inbox.
 */
export function followEvents(options: FollowEventsOptions): EventFeed {
  const { nc, naming } = options;
  const js = jetstream(nc);
  const stream = naming.stream(options.context);
  const filter = naming.subject(options.filterSubject);
  const retryMs = options.retryMs ?? 1_000;
  const log = options.logger.child({ consumer: options.name });
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let wake: (() => void) | undefined;

  async function run(): Promise<void> {
    while (!stopped && !nc.isClosed()) {
      try {
        // Throws while the stream does not exist yet (its service creates it when it starts).
        const consumer = await js.consumers.get(stream, {
          filter_subjects: filter,
          deliver_policy: DeliverPolicy.New,
        });
        if (stopped) break;
        messages = await consumer.consume({ max_messages: 256 });
        // stop() may have run while consume() was starting: it found nothing to close.
        if (stopped) {
          await messages.close().catch(() => {});
          break;
        }
        options.onLiveChange(true);
        for await (const msg of messages) {
          try {
            options.onEvent(naming.logicalSubject(msg.subject), msg.json());
          } catch (error) {
            // We cannot tell what it changed: forgetting everything is the safe side.
            log.error({ err: error, seq: msg.seq }, 'unreadable event; dropping the cache');
            options.onLiveChange(false);
            options.onLiveChange(true);
          }
        }
      } catch (error) {
        if (!stopped && !nc.isClosed()) log.warn({ err: error, stream }, 'event feed unavailable; retrying');
      } finally {
        options.onLiveChange(false);
        messages = undefined;
      }
      if (!stopped && !nc.isClosed()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  const running = run();
  return {
    async stop() {
      stopped = true;
      wake?.();
      // A feed only empties a cache: a shutdown never waits on it for long (draining the
      // connection, which follows, ends whatever is still pending).
      const giveUp = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
      await Promise.race([
        (async () => {
          await messages?.close().catch(() => {});
          await running;
        })(),
        giveUp,
      ]);
    },
  };
}
