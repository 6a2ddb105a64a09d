import {
  type Context,
  context,
  propagation,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/** What NATS `MsgHdrs` (and a plain map) look like to the propagator. */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const setter: TextMapSetter<HeaderCarrier> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<HeaderCarrier | undefined> = {
  get: (carrier, key) => carrier?.get(key) || undefined,
  keys: (carrier) => carrier?.keys() ?? [],
};

/** Writes `traceparent`/`tracestate` of `ctx` into message headers. */
export function injectTraceContext(carrier: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, carrier, setter);
}

/** The context a message's headers carry, to parent the consumer's span on. */
export function extractTraceContext(
  carrier: HeaderCarrier | undefined,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, carrier, getter);
}

/** Trace headers of the active context as a plain object (stored beside an outbox row). */
export function currentTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const out: Record<string, string> = {};
  propagation.inject(ctx, out);
  return out;
}

/** The context encoded in a plain header object (the inverse of `currentTraceHeaders`). */
export function contextFromTraceHeaders(headers: Record<string, string> | null | undefined): Context {
  return propagation.extract(context.active(), headers ?? {});
}
