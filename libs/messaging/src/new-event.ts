import type { Envelope, EventData, EventDefinition } from '@coterie/contracts';
import { uuidv7 } from 'uuidv7';

export interface NewEventMeta {
  source: string;
  communityId?: string;
  /** The request or conversation this event belongs to; defaults to the event's own id. */
  correlationId?: string;
  /** The id of the event or command that caused this one. */
  causationId?: string;
  occurredAt?: Date;
  /** A fixed id for an event mirroring an external fact (see `deterministicEventId`). */
  id?: string;
}

/** A fresh envelope for `def`, its data validated against the contract before it is stored. */
export function newEvent<T extends EventDefinition>(
  def: T,
  data: EventData<T>,
  meta: NewEventMeta,
): Envelope<EventData<T>> {
  const id = meta.id ?? uuidv7();
  const event = def.parse({
    id,
    type: def.type,
    version: def.version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    source: meta.source,
    ...(meta.communityId ? { communityId: meta.communityId } : {}),
    correlationId: meta.correlationId ?? id,
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    data,
  });
  return event as Envelope<EventData<T>>;
}
