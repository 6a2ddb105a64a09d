import { type Envelope, eventSubject } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { currentTraceHeaders } from '@coterie/telemetry';

/**
 * Stores `event` for publication in the caller's transaction: it is published if and only
 * if that transaction commits. The active trace context is kept so the consumer's span
 * joins the trace of the request that caused the event.
 */
export async function appendToOutbox(client: Queryable, event: Envelope): Promise<void> {
  await client.query('INSERT INTO outbox (id, subject, envelope, trace_headers) VALUES ($1, $2, $3, $4)', [
    event.id,
    eventSubject(event.type, event.version),
    JSON.stringify(event),
    JSON.stringify(currentTraceHeaders()),
  ]);
}

/**
 * Stores many events in one statement, in order, each with the trace context it was caused in
 * (e.g. `currentTraceHeaders()` taken inside each message's span). Same guarantee as
 * {@link appendToOutbox}: published if and only if the caller's transaction commits.
 */
export async function appendManyToOutbox(
  client: Queryable,
  items: readonly { event: Envelope; traceHeaders: Record<string, string> }[],
): Promise<void> {
  if (items.length === 0) return;
  await client.query(
    `INSERT INTO outbox (id, subject, envelope, trace_headers)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::jsonb[])`,
    [
      items.map((i) => i.event.id),
      items.map((i) => eventSubject(i.event.type, i.event.version)),
      items.map((i) => JSON.stringify(i.event)),
      items.map((i) => JSON.stringify(i.traceHeaders)),
    ],
  );
}
