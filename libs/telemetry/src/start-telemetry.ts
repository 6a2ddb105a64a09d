import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface StartTelemetryOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP endpoint (e.g. the collector); without it spans are created but not exported. */
  otlpEndpoint?: string;
  /** Tests add an in-memory exporter here. */
  spanProcessors?: SpanProcessor[];
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

/**
 * Registers the global tracer provider, W3C trace-context propagator and async-hooks
 * context manager. No auto-instrumentation: HTTP, NATS and SQL spans are made by our
 * own plumbing, so what is traced does not depend on monkey-patching.
 */
export function startTelemetry(options: StartTelemetryOptions): Telemetry {
  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    const exporter: SpanExporter = new OTLPTraceExporter({
      url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`,
    });
    processors.push(new BatchSpanProcessor(exporter));
  }
  if (processors.length === 0) {
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
    instrumentations: [],
  });
  sdk.start();
  return {
    forceFlush: async () => {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
    shutdown: () => sdk.shutdown(),
  };
}
