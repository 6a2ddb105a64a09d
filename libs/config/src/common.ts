import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL (${protocols.join(' or ')})`,
  );

/** Lower-case letters, digits and `_`: it prefixes schema, stream and subject names. */
export const namespaceSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be lower-case letters, digits or _ (max 31)');

/** Keys every service process reads. Secrets have no defaults; see each service's config. */
export const serviceEnvSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  NATS_URL: z
    .string()
    .min(1)
    .refine(
      (v) => v.split(',').every((s) => /^(nats|tls|ws|wss):\/\/[^\s]+$|^[^\s:/]+:\d+$/.test(s.trim())),
      'must be nats://host:port (comma-separated for a cluster)',
    ),
  COTERIE_NAMESPACE: namespaceSchema.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * PostgreSQL connections per process. Each busy event consumer holds one per message in
   * flight (16 by default): a service that ingests a burst (tipping under a webhook storm) goes
   * faster with about 24; mind `max_connections` across every replica (infra/README.md).
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
});
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

export const urlSchema = url;
