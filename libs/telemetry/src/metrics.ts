import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';

/**
 * Coterie's instruments. Names follow the OpenTelemetry semantic conventions where one exists
 * (`http.server.request.duration`, `rpc.*.duration`); Prometheus sees them with `.` → `_`
 * and counters suffixed `_total` (`http_server_request_duration_bucket`, `coterie_consumer_messages_total`, …).
 */
export interface CoterieMetrics {
  /** Gateway: one observation per HTTP request (`http.request.method`, `http.route`, `http.response.status_code`). */
  httpServerDuration: Histogram;
  /** RPC caller's view of a NATS request/reply (`rpc.method`, `rpc.outcome`). */
  rpcClientDuration: Histogram;
  /** RPC handler time in the service (`rpc.method`, `rpc.outcome`). */
  rpcServerDuration: Histogram;
  /** Consumed events by durable and outcome: handled, failed (nak'ed for retry), terminated (poison). */
  consumerMessages: Counter;
  /** Webhook deliveries the gateway refused or could not take (`webhook.provider`, `http.response.status_code`). */
  webhookFailures: Counter;
}

let cached: { provider: MeterProvider; instruments: CoterieMetrics } | undefined;
const gauges = new Map<string, { provider: MeterProvider; gauge: ObservableGauge }>();

const meter = () => metrics.getMeter('coterie');

/**
 * The instruments of the global meter provider. Without telemetry started they are no-ops, so
 * plumbing records unconditionally; they are re-created once `startTelemetry` registered one.
 */
export function coterieMetrics(): CoterieMetrics {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const m = meter();
  const instruments: CoterieMetrics = {
    httpServerDuration: m.createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP server requests',
      advice: {
        explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      },
    }),
    rpcClientDuration: m.createHistogram('rpc.client.duration', {
      unit: 'ms',
      description: 'Duration of NATS RPC calls as the caller sees them',
      advice: { explicitBucketBoundaries: [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] },
    }),
    rpcServerDuration: m.createHistogram('rpc.server.duration', {
      unit: 'ms',
      description: 'Duration of NATS RPC handling in the service',
      advice: { explicitBucketBoundaries: [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] },
    }),
    consumerMessages: m.createCounter('coterie.consumer.messages', {
      description: 'Events processed by a durable consumer, by outcome (handled, failed, terminated)',
    }),
    webhookFailures: m.createCounter('coterie.webhook.failures', {
      description: 'Webhook deliveries answered with an error status',
    }),
  };
  cached = { provider, instruments };
  return instruments;
}

export interface GaugeReading {
  value: number;
  attributes: Attributes;
}

/**
 * Adds a source to an observable gauge (created once per name): `read` runs at every collection
 * (a Prometheus scrape, an OTLP export). A reading that throws or takes over `timeoutMs` is
 * skipped rather than failing the whole collection. Returns the function that removes it.
 */
export function observeGauge(
  name: string,
  description: string,
  read: () => Promise<GaugeReading[]>,
  timeoutMs = 2_000,
): () => void {
  const provider = metrics.getMeterProvider();
  let entry = gauges.get(name);
  if (entry?.provider !== provider) {
    entry = { provider, gauge: meter().createObservableGauge(name, { description }) };
    gauges.set(name, entry);
  }
  const { gauge } = entry;
  const callback = async (result: ObservableResult) => {
    let timer: NodeJS.Timeout | undefined;
    const readings = await Promise.race([
      read(),
      new Promise<GaugeReading[]>((resolve) => {
        timer = setTimeout(() => resolve([]), timeoutMs);
      }),
    ])
      .catch(() => [] as GaugeReading[])
      .finally(() => clearTimeout(timer));
    for (const reading of readings) result.observe(reading.value, reading.attributes);
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
