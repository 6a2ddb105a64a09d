import { extractTraceContext, type HeaderCarrier } from '@coterie/telemetry';
import {
  context,
  INVALID_TRACEID,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

// Kept beside the request rather than decorated onto it: nothing else should reach for it.
const spans = new WeakMap<FastifyRequest, Span>();

function headerCarrier(headers: FastifyRequest['headers']): HeaderCarrier {
  return {
    get: (key) => {
      const value = headers[key];
      return (Array.isArray(value) ? value[0] : value) ?? '';
    },
    set: () => {},
    keys: () => Object.keys(headers),
  };
}

function endSpan(request: FastifyRequest, statusCode: number | undefined, aborted = false): void {
  const span = spans.get(request);
  if (!span) return;
  spans.delete(request);
  if (statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  // Server spans: only 5xx are the server's failure; 4xx are the client's (semantic conventions).
  if (aborted) span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted the request' });
  else if (statusCode !== undefined && statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * One SERVER span per request, continuing the caller's W3C `traceparent`. `done` is called
 * inside `context.with(ctx, …)`, so the rest of the hook chain and the handler run in the
 * span's context (Fastify carries it across body parsing in an AsyncResource; a test with a
 * slowly streamed body guards that). RPC calls made by handlers then join the trace.
 */
export const tracing = fp(
  async (fastify: FastifyInstance) => {
    // Looked up once: through the global API it is a lookup (and an object) per request.
    const tracer = trace.getTracer('coterie-gateway');
    fastify.addHook('onRequest', (request, _reply, done) => {
      const parent =
        request.headers.traceparent === undefined
          ? ROOT_CONTEXT
          : extractTraceContext(headerCarrier(request.headers), ROOT_CONTEXT);
      const route = request.routeOptions.url;
      const span = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        { kind: SpanKind.SERVER },
        parent,
      );
      // A span that is not sampled records nothing: its attributes would be built for no one.
      if (span.isRecording()) {
        span.setAttributes({
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_PATH]: request.url.split('?')[0] ?? request.url,
          [ATTR_URL_SCHEME]: request.protocol,
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
        });
      }
      // Without a tracer provider (telemetry off) the span is a no-op with zero ids: keep the
      // caller's context instead, so logs carry no fake trace id and traceparent still passes on.
      // (The SDK only makes valid ids: comparing to the invalid id spares two regular expressions.)
      const ctx = span.spanContext().traceId === INVALID_TRACEID ? parent : trace.setSpan(parent, span);
      spans.set(request, span);
      context.with(ctx, done);
    });
    fastify.addHook('onError', (request, _reply, error, done) => {
      spans.get(request)?.recordException(error);
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      endSpan(request, reply.statusCode);
      done();
    });
    fastify.addHook('onRequestAbort', (request, done) => {
      endSpan(request, undefined, true);
      done();
    });
  },
  { name: 'tracing' },
);
