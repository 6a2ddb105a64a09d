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
