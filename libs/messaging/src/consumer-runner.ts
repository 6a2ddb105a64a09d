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
import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Naming } from './naming.ts';
import { hasUnstorableText, isPermanentDataError } from './unstorable-text.ts';

export interface EventHandlerContext {
  /** 1 on first delivery. */
  deliveryCount: number;
  /** Extends the ack deadline during long work. */
  working(): void;
}

export type EventHandler = (event: Envelope, def: EventDefinition, ctx: EventHandlerContext) => Promise<void>;

/** One valid message of a batch, in arrival order. */
export interface BatchItem {
  event: Envelope;
  def: EventDefinition;
  /** 1 on first delivery. */
  deliveryCount: number;
  /**
   * Runs `fn` with this message's CONSUMER span active, so what it appends to the outbox (and
   * logs) joins the trace of the request that caused the message.
   */
  inTrace<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Applies a batch as one unit (typically one transaction). If it throws, each message is
 * handled again alone by `handle`, so it must have the same effect as `handle` on each item
 * in turn.
 */
export type BatchHandler = (
  items: readonly BatchItem[],
  ctx: Pick<EventHandlerContext, 'working'>,
) => Promise<void>;

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
  /**
   * Batch mode: the valid messages that arrive together (up to `maxBatch`) go to one call, and
   * are acknowledged once it resolves. A lone message is never held back waiting for company (it
   * goes to `handle`). On an error the batch's messages go through `handle` one by one (nak,
   * backoff, term as usual).
   */
  handleBatch?: BatchHandler;
  /** Largest batch handed to `handleBatch` (default 64). */
  maxBatch?: number;
  /** Messages (or, in batch mode, batches) handled at once. */
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

/** A message whose event parsed, ready for its handler. */
interface Delivery {
  msg: JsMsg;
  event: Envelope;
  def: EventDefinition;
  /** The subject without the namespace. */
  logical: string;
}

const tracer = () => trace.getTracer('coterie');

function endFailed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  span.end();
}

const nanos = (ms: number) => ms * 1_000_000;
const defaultBackoff = (n: number) => Math.min(30_000, 200 * 2 ** Math.min(n - 1, 8));

/**
 * A durable pull consumer that parses each message with its contract schema and hands it
 * to `handle`. Poison (unparseable, or failing its schema) is terminated and counted, never
 * redelivered forever; a handler error is nak'ed with backoff; long work is kept alive with
 * `working()`. If the subscription breaks (NATS restart, consumer deleted), it re-enters
 * `consume()`. With `handleBatch`, the messages that arrive together share one handler call
 * (one transaction instead of one per event) and are acknowledged after it.
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const { js, jsm, naming, logger } = options;
  const stream = naming.stream(options.context);
  const durable = naming.durable(options.durable);
  // Short: a delivery caught by a crash or stop comes back within seconds; long work keeps
  // itself alive with working() every ackWait/2.
  const ackWaitMs = options.ackWaitMs ?? 10_000;
  const maxConcurrency = options.maxConcurrency ?? 16;
  const maxBatch = options.handleBatch ? Math.max(1, options.maxBatch ?? 64) : 1;
  // Buffered client-side while every slot is busy: in batch mode, two whole batches.
  const pullBatch = Math.max(maxConcurrency, maxBatch) * 2;
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
    max_ack_pending: options.handleBatch
      ? Math.max(maxConcurrency * maxBatch + pullBatch, 256)
      : Math.max(maxConcurrency * 4, 256),
  };
  await ensureConsumer(jsm, stream, durable, config);

  let stopped = false;
  let current: ConsumerMessages | undefined;
  const inFlight = new Set<Promise<void>>();
  const full = () => inFlight.size >= maxConcurrency;
  const batchHandler = options.handleBatch;
  // Batch mode: valid messages wait here until the burst they came in has been read.
  const gathered: Delivery[] = [];
  let flushScheduled = false;
  const keepAliveMs = Math.max(1_000, ackWaitMs / 2);

  /** The message's event, or undefined once it is settled here (not ours: ack; poison: term). */
  function parse(msg: JsMsg): Delivery | undefined {
    const logical = naming.logicalSubject(msg.subject);
    const def = bySubject.get(logical);
    if (!def) {
      msg.ack();
      return undefined;
    }
    try {
      return { msg, def, logical, event: def.parse(msg.json()) };
    } catch (error) {
      // No reason text: `+TERM <reason>` needs nats-server 2.10.4 and older servers ignore it.
      msg.term();
      counted('terminated');
      log.error({ err: error, subject: msg.subject, seq: msg.seq }, 'terminated a malformed event');
      return undefined;
    }
  }

  const processAttributes = ({ msg, event }: Delivery): Attributes => ({
    'messaging.system': 'nats',
    'messaging.operation.type': 'process',
    'messaging.destination.name': msg.subject,
    'messaging.consumer.group.name': durable,
    'messaging.message.id': event.id,
  });

  async function handleOne(delivery: Delivery): Promise<void> {
    const { msg, event, def, logical } = delivery;
    const keepAlive = setInterval(() => msg.working(), keepAliveMs);
    try {
      await withSpan(
        `${logical} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(msg.headers),
          attributes: processAttributes(delivery),
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

  /**
   * One `handleBatch` call, with one CONSUMER span per message parented on that message's own
   * trace (a batch mixes requests), all ended when the batch has committed or failed. A failed
   * batch is handled again message by message, in order, so one bad event gets the usual
   * nak/backoff/term and the others still land (the inbox keeps them from applying twice).
   */
  async function handleBatch(batch: readonly Delivery[], handler: BatchHandler): Promise<void> {
    const working = () => {
      for (const { msg } of batch) msg.working();
    };
    const keepAlive = setInterval(working, keepAliveMs);
    const traced = batch.map((delivery) => {
      const parent = extractTraceContext(delivery.msg.headers);
      const span = tracer().startSpan(
        `${delivery.logical} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: { ...processAttributes(delivery), 'messaging.batch.message_count': batch.length },
        },
        parent,
      );
      return { span, context: trace.setSpan(parent, span) };
    });
    const items = batch.map(
      ({ msg, event, def }, i): BatchItem => ({
        event,
        def,
        deliveryCount: msg.info.deliveryCount,
        inTrace: (fn) => context.with(traced[i]?.context ?? context.active(), fn),
      }),
    );
    try {
      try {
        await handler(items, { working });
      } catch (error) {
        for (const { span } of traced) endFailed(span, error);
        log.warn({ err: error, size: batch.length }, 'batch failed; handling its messages one by one');
        for (const delivery of batch) await handleOne(delivery);
        return;
      }
      for (const { span } of traced) span.end();
      for (const { msg } of batch) {
        msg.ack();
        counted('handled');
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  function track(task: Promise<void>): void {
    const tracked = task.catch((error) => log.error({ err: error }, 'unexpected consumer error'));
    inFlight.add(tracked);
    tracked.finally(() => {
      inFlight.delete(tracked);
      // A flush skipped while every slot was taken.
      if (gathered.length > 0) scheduleFlush();
    });
  }

  function flush(force = false): void {
    flushScheduled = false;
    while (gathered.length > 0 && (force || !full())) {
      const batch = gathered.splice(0, maxBatch);
      const [first] = batch;
      if (batchHandler && batch.length > 1) track(handleBatch(batch, batchHandler));
      else if (first) track(handleOne(first));
    }
  }

  // After the messages already received have been iterated (setImmediate runs once the I/O
  // callbacks and microtasks are done): a lone message waits for no company.
  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => flush());
  }

  function take(msg: JsMsg): void {
    const delivery = parse(msg);
    if (!delivery) return;
    if (!batchHandler) {
      track(handleOne(delivery));
      return;
    }
    gathered.push(delivery);
    if (gathered.length >= maxBatch) flush();
    else scheduleFlush();
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: pullBatch });
        current = messages;
        failures = 0;
        for await (const msg of messages) {
          take(msg);
          while (full()) await Promise.race(inFlight);
        }
      } catch (error) {
        if (stopped) break;
        failures += 1;
        log.warn({ err: error, failures }, 'consume loop broke; re-entering');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** Math.min(failures, 6))));
        await ensureConsumer(jsm, stream, durable, config).catch(() => {});
      } finally {
        // Deliveries already taken are handled (and acknowledged) even when stopping.
        flush(true);
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
      while (inFlight.size > 0) await Promise.allSettled(inFlight);
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
