import { serviceEnvSchema } from '@coterie/config';
import type { z } from 'zod';

/** Environment of the governance service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema;
export type Config = z.infer<typeof configSchema>;
