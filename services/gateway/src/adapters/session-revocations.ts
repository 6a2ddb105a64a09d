import { type EventData, sessionRevokedV1 } from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import type { Naming, NatsConnection } from '@coterie/messaging';
import { type ConsumerMessages, DeliverPolicy, jetstream } from '@nats-io/jetstream';

export interface WatchSessionRevocationsOptions {
  nc: NatsConnection;
  naming: Naming;
  logger: Logger;
  onRevoked(revocation: EventData<typeof sessionRevokedV1>): void;
  /** True once the consumer exists (revocations from then on are seen); false when it broke. */
  onLiveChange(live: boolean): void;
  /** Pause before retrying when the stream is missing or the consumer broke. */
  retryMs?: number;
}

export interface SessionRevocationWatcher {
  stop(): Promise<void>;
}

/**
 * Follows `identity.session.revoked.v1` on the IDENTITY stream with an ordered (ephemeral,
 * in-memory, unacknowledged) consumer that starts at new messages. Every gateway replica runs its
 * own, so every replica sees every revocation — a shared durable would hand each event to one
 * replica only. A cache invalidation is idempotent, so it needs no inbox. The ordered consumer
 * recreates itself after a reconnect from the last sequence it saw, so no revocation is skipped;
 * while it is down, the caller stops caching (`onLiveChange(false)`).
 */
export function watchSessionRevocations(options: WatchSessionRevocationsOptions): SessionRevocationWatcher {
  const { nc, naming, logger } = options;
  const js = jetstream(nc);
  const stream = naming.stream('identity');
  const subject = naming.subject(sessionRevokedV1.subject);
  const retryMs = options.retryMs ?? 1_000;
  const log = logger.child({ consumer: 'gateway-session-revocations' });
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let wake: (() => void) | undefined;

  async function run(): Promise<void> {
    while (!stopped && !nc.isClosed()) {
      try {
        // Throws while the stream does not exist yet (identity creates it when it starts).
        const consumer = await js.consumers.get(stream, {
          filter_subjects: subject,
          deliver_policy: DeliverPolicy.New,
        });
        if (stopped) break;
        messages = await consumer.consume({ max_messages: 64 });
        options.onLiveChange(true);
        for await (const msg of messages) {
          try {
            const event = sessionRevokedV1.parse(msg.json());
            options.onRevoked(event.data);
          } catch (error) {
            // We cannot tell whose session it was: forgetting everything is the safe side.
            log.error({ err: error, seq: msg.seq }, 'unreadable session revocation; dropping the cache');
            options.onLiveChange(false);
            options.onLiveChange(true);
          }
        }
      } catch (error) {
        if (!stopped && !nc.isClosed())
          log.warn({ err: error, stream }, 'session revocation feed unavailable; retrying');
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
      await messages?.close().catch(() => {});
      await running;
    },
  };
}
