import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type IMetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface StartTelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP endpoint (e.g. the collector); without it spans are created but not exported. */
  otlpEndpoint?: string;
  /** Tests add an in-memory exporter here. */
  spanProcessors?: SpanProcessor[];
  /**
   * Serves `/metrics` for Prometheus on this port (all interfaces). Defaults to the
   * `PROMETHEUS_PORT` environment variable; unset (the default, and in tests) means no endpoint.
   */
  metricsPort?: number;
  /** Tests add e.g. a `PeriodicExportingMetricReader` over an `InMemoryMetricExporter`. */
  metricReaders?: IMetricReader[];
  /** How often metrics are pushed over OTLP (when `otlpEndpoint` is set). */
  metricsExportIntervalMs?: number;
}

const noopProcessor: SpanProcessor = {
  onStart: () => {},
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

export interface Telemetry {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

function metricsPortFrom(options: StartTelemetryOptions): number | undefined {
  if (options.metricsPort !== undefined) return options.metricsPort;
  const raw = process.env.PROMETHEUS_PORT;
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PROMETHEUS_PORT must be a port number, got "${raw}"`);
  }
  return port;
}

/**
 * Registers the global tracer and meter providers, W3C trace-context propagator and async-hooks
 * context manager. No auto-instrumentation: HTTP, NATS and SQL spans and metrics are made by our
 * own plumbing, so what is observed does not depend on monkey-patching. Metrics go to a
 * Prometheus `/metrics` endpoint (`metricsPort` / `PROMETHEUS_PORT`), to the OTLP endpoint
 * (the collector re-exposes them on :8889), and to any reader a test passes.
 */
export function startTelemetry(options: StartTelemetryOptions): Telemetry {
  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  const readers: IMetricReader[] = [...(options.metricReaders ?? [])];
  if (options.otlpEndpoint) {
    const base = options.otlpEndpoint.replace(/\/$/, '');
    const exporter: SpanExporter = new OTLPTraceExporter({ url: `${base}/v1/traces` });
    processors.push(new BatchSpanProcessor(exporter));
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
        exportIntervalMillis: options.metricsExportIntervalMs ?? 15_000,
      }),
    );
  }
  const metricsPort = metricsPortFrom(options);
  if (metricsPort !== undefined) readers.push(new PrometheusExporter({ port: metricsPort }));
  // Nothing would read a recorded span: don't record them (unless the operator picks a sampler).
  const unread = processors.length === 0;
  if (unread) {
    // Without a processor NodeSDK registers no tracer provider at all; spans must still exist
    // (with real ids) so trace context crosses NATS and logs carry trace ids.
    processors.push(noopProcessor);
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion ?? '0.1.0',
    }),
    spanProcessors: processors,
    // Non-recording spans keep their ids (logs and traceparent) and cost a fraction of the
    // work per request; OTEL_TRACES_SAMPLER still decides when it is set.
    ...(unread && !process.env.OTEL_TRACES_SAMPLER ? { sampler: new AlwaysOffSampler() } : {}),
    // Always given, even empty: without it NodeSDK adds a default OTLP reader that pushes to
    // localhost:4318 every minute, and every instrument records for an exporter no one runs.
    metricReaders: readers,
    instrumentations: [],
  });
  sdk.start();
  return {
    forceFlush: async () => {
      await Promise.all([...processors.map((p) => p.forceFlush()), ...readers.map((r) => r.forceFlush())]);
    },
    shutdown: () => sdk.shutdown(),
  };
}
