import type { Context } from '@coterie/contracts';
import { streamNameOf } from '@coterie/contracts';

/**
 * Maps logical names (subjects, streams, durables, service names) into one deployment
 * namespace, so tests run side by side on one NATS server without seeing each other.
 * The empty namespace is production: names are used as they are.
 */
export interface Naming {
  readonly namespace: string | undefined;
  subject(subject: string): string;
  /** The logical subject of a namespaced one (inverse of `subject`). */
  logicalSubject(subject: string): string;
  stream(context: Context): string;
  durable(name: string): string;
  serviceName(context: Context): string;
}

export function createNaming(namespace?: string): Naming {
  const prefix = namespace ? `${namespace}.` : '';
  return {
    namespace,
    subject: (subject) => `${prefix}${subject}`,
    logicalSubject: (subject) =>
      prefix && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject,
    stream: (context) => (namespace ? `${namespace}_${streamNameOf(context)}` : streamNameOf(context)),
    durable: (name) => (namespace ? `${namespace}_${name}` : name).replace(/[.*>\s]/g, '_'),
    serviceName: (context) => (namespace ? `${namespace}_${context}` : `coterie_${context}`),
  };
}
