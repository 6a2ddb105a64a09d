import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { startTelemetry } from '../src/index.ts';

describe('telemetry without an exporter or a metrics port', () => {
  const saved = { port: process.env.PROMETHEUS_PORT, exporter: process.env.OTEL_METRICS_EXPORTER };
  delete process.env.PROMETHEUS_PORT;
  delete process.env.OTEL_METRICS_EXPORTER;
  const telemetry = startTelemetry({ serviceName: 'no-reader-test' });
  afterAll(async () => {
    await telemetry.shutdown();
    if (saved.port !== undefined) process.env.PROMETHEUS_PORT = saved.port;
    if (saved.exporter !== undefined) process.env.OTEL_METRICS_EXPORTER = saved.exporter;
  });

  it('registers no meter provider: nothing would read it, and NodeSDK would push to localhost:4318', () => {
    expect(metrics.getMeterProvider()).not.toBeInstanceOf(MeterProvider);
  });

  it('still makes spans with real ids, for logs and traceparent', () => {
    const span = trace.getTracer('no-reader-test').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    span.end();
  });
});
