import type { Context, Envelope, EventDefinition } from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import { coterieMetrics, extractTraceContext, observeGauge, SpanKind, withSpan } from '@coterie/telemetry';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Naming } from './naming.ts';
import { hasUnstorableText, isPermanentDataError } from './unstorable-text.ts';

export interface EventHandlerContext {
  /** 1 on first delivery. */
  deliveryCount: number;
  /** Extends the ack deadline during long work. */
  working(): void;
}

export type EventHandler = (event: Envelope, def: EventDefinition, ctx: EventHandlerContext) => Promise<void>;

export interface ConsumerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  naming: Naming;
  logger: Logger;
  /** The stream (context) to read. */
  context: Context;
  /** Durable name, logical (the namespace is added): `<service>--<what>`. */
  durable: string;
  /**
   * The events this consumer handles. Others on the stream are acknowledged and skipped
   * (multi-subject filters need nats-server 2.10; a single event type is filtered server-side).
   */
  events: readonly EventDefinition[];
  handle: EventHandler;
  maxConcurrency?: number;
  ackWaitMs?: number;
  /** Delay before a failed message is redelivered, by delivery count. */
  backoffMs?: (deliveryCount: number) => number;
  /** Start from new messages only (default: the whole stream, so projections can rebuild). */
  deliverNewOnly?: boolean;
}

export interface ConsumerStats {
  handled: number;
  failed: number;
  terminated: number;
}

export interface RunningConsumer {
  readonly stats: ConsumerStats;
  /** Messages the consumer has not yet acknowledged (lag). */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

const nanos = (ms: number) => ms * 1_000_000;
const defaultBackoff = (n: number) => Math.min(30_000, 200 * 2 ** Math.min(n - 1, 8));

/**
 * A durable pull consumer that parses each message with its contract schema and hands it
 * to `handle`. Poison (unparseable, or failing its schema) is terminated and counted, never
 * redelivered forever; a handler error is nak'ed with backoff; long work is kept alive with
 * `working()`. If the subscription breaks (NATS restart, consumer deleted), it re-enters
 * `consume()`.
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const { js, jsm, naming, logger } = options;
  const stream = naming.stream(options.context);
  const durable = naming.durable(options.durable);
  // Short: a delivery caught by a crash or stop comes back within seconds; long work keeps
  // itself alive with working() every ackWait/2.
  const ackWaitMs = options.ackWaitMs ?? 10_000;
  const maxConcurrency = options.maxConcurrency ?? 16;
  const backoff = options.backoffMs ?? defaultBackoff;
  const bySubject = new Map(options.events.map((def) => [def.subject, def]));
  const stats: ConsumerStats = { handled: 0, failed: 0, terminated: 0 };
  const log = logger.child({ consumer: durable });
  const counted = (outcome: 'handled' | 'failed' | 'terminated') => {
    stats[outcome] += 1;
    coterieMetrics().consumerMessages.add(1, {
      'messaging.destination.name': stream,
      'messaging.consumer.group.name': durable,
      outcome,
    });
  };

  const config: Partial<ConsumerConfig> = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: options.deliverNewOnly ? DeliverPolicy.New : DeliverPolicy.All,
    filter_subject:
      options.events.length === 1 && options.events[0]
        ? naming.subject(options.events[0].subject)
        : naming.subject(`${options.context}.*.*.*`),
    ack_wait: nanos(ackWaitMs),
    max_ack_pending: Math.max(maxConcurrency * 4, 256),
  };
  await ensureConsumer(jsm, stream, durable, config);

  let stopped = false;
  let current: ConsumerMessages | undefined;
  const inFlight = new Set<Promise<void>>();

  async function process(msg: JsMsg): Promise<void> {
    const logical = naming.logicalSubject(msg.subject);
    const def = bySubject.get(logical);
    if (!def) {
      msg.ack();
      return;
    }
    let event: Envelope;
    try {
      event = def.parse(msg.json());
    } catch (error) {
      // No reason text: `+TERM <reason>` needs nats-server 2.10.4 and older servers ignore it.
      msg.term();
      counted('terminated');
      log.error({ err: error, subject: msg.subject, seq: msg.seq }, 'terminated a malformed event');
      return;
    }
    const keepAlive = setInterval(() => msg.working(), Math.max(1_000, ackWaitMs / 2));
    try {
      await withSpan(
        `${logical} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(msg.headers),
          attributes: {
            'messaging.system': 'nats',
            'messaging.operation.type': 'process',
            'messaging.destination.name': msg.subject,
            'messaging.consumer.group.name': durable,
            'messaging.message.id': event.id,
          },
        },
        () =>
          options.handle(event, def, { deliveryCount: msg.info.deliveryCount, working: () => msg.working() }),
      );
      msg.ack();
      counted('handled');
    } catch (error) {
      if (isPermanentDataError(error) && hasUnstorableText(event)) {
        // Schema-valid, but it holds text the store refuses (NUL, a lone surrogate): every
        // redelivery would fail the same way, so it is poison like an unparseable event. (Other
        // failures keep being retried: a bug fixed later must still find its events.)
        msg.term();
        counted('terminated');
        log.error({ err: error, eventId: event.id, type: event.type }, 'terminated an unstorable event');
        return;
      }
      counted('failed');
      const delay = backoff(msg.info.deliveryCount);
      log.warn({ err: error, eventId: event.id, type: event.type, delay }, 'handler failed; will redeliver');
      msg.nak(delay);
    } finally {
      clearInterval(keepAlive);
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: maxConcurrency * 2 });
        current = messages;
        failures = 0;
        for await (const msg of messages) {
          const task = process(msg).catch((error) => log.error({ err: error }, 'unexpected consumer error'));
          inFlight.add(task);
          task.finally(() => inFlight.delete(task));
          if (inFlight.size >= maxConcurrency) await Promise.race(inFlight);
        }
      } catch (error) {
        if (stopped) break;
        failures += 1;
        log.warn({ err: error, failures }, 'consume loop broke; re-entering');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** Math.min(failures, 6))));
        await ensureConsumer(jsm, stream, durable, config).catch(() => {});
      }
    }
  }

  const running = run();
  const pending = async () => {
    const info = await jsm.consumers.info(stream, durable);
    return info.num_pending + info.num_ack_pending;
  };
  // Lag, read from the server at each collection (a scrape every few seconds is one request).
  const unobserve = observeGauge(
    'coterie.consumer.pending',
    'Messages a durable consumer has not acknowledged yet (not delivered + awaiting ack)',
    async () => [
      {
        value: await pending(),
        attributes: { 'messaging.destination.name': stream, 'messaging.consumer.group.name': durable },
      },
    ],
  );

  return {
    stats,
    pending,
    stop: async () => {
      unobserve();
      stopped = true;
      current?.stop();
      await running;
      await Promise.allSettled(inFlight);
    },
  };
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  config: Partial<ConsumerConfig>,
): Promise<void> {
  const existing = await jsm.consumers.info(stream, durable).catch(() => undefined);
  if (!existing) {
    await jsm.consumers.add(stream, config).catch(async (error: Error) => {
      if (!(await jsm.consumers.info(stream, durable).catch(() => undefined))) throw error;
    });
    return;
  }
  const { filter_subject, ack_wait, max_ack_pending } = config;
  const current = existing.config;
  if (
    current.filter_subject !== filter_subject ||
    current.ack_wait !== ack_wait ||
    current.max_ack_pending !== max_ack_pending
  ) {
    await jsm.consumers.update(stream, durable, {
      ...(filter_subject ? { filter_subject } : {}),
      ...(ack_wait ? { ack_wait } : {}),
      ...(max_ack_pending ? { max_ack_pending } : {}),
    });
  }
}
