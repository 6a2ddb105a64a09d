import { z } from 'zod';

/**
 * Every domain event travels in this envelope. `id` is a uuidv7 and doubles as the
 * JetStream `Nats-Msg-Id`, so the broker and every inbox dedupe on the same key.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z]+\.[a-z0-9-]+\.[a-z0-9-]+$/, 'type is <context>.<entity>.<past-verb>'),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  communityId: z.string().min(1).optional(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
  data: z.unknown(),
});

export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };

/** The subject an event is published on: `<type>.v<version>`, e.g. `identity.member.registered.v1`. */
export function eventSubject(type: string, version: number): string {
  return `${type}.v${version}`;
}
