import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { LineBatcher } from './line-batcher.ts';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Pretty output for humans; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** pino with the active span's ids on every line, so a log line leads to its trace. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    mixin() {
      const span = trace.getActiveSpan();
      const spanContext = span?.spanContext();
      if (!spanContext || !isSpanContextValid(spanContext)) return {};
      const { traceId, spanId } = spanContext;
      return { trace_id: traceId, span_id: spanId };
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
  if (options.destination) return pino(config, options.destination);
  if (pretty) return pino(config);
  // Written by libuv's thread pool, not the event loop; the lines of one turn go out together.
  return pino(config, new LineBatcher(pino.destination({ dest: 1, sync: false })));
}
