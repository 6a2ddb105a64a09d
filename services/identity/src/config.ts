import { chainsEnvSchema } from '@coterie/chain';
import { serviceEnvSchema, urlSchema } from '@coterie/config';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Environment of the identity service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema
  .extend({
    CHAINS: chainsEnvSchema,
    /** The web app's origin: SIWE `uri` must be on it, magic links point at it. */
    APP_ORIGIN: urlSchema(['http:', 'https:']).default('http://localhost:3000'),
    /** The SIWE `domain` (RFC 3986 authority); defaults to APP_ORIGIN's host. */
    APP_DOMAIN: z.string().min(1).optional(),
    /** Keys the HMAC of email codes and link tokens, so a database leak does not reveal them. */
    IDENTITY_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
    SIWE_NONCE_TTL_MS: ms(10 * MINUTE),
    SIWE_CLOCK_SKEW_MS: z.coerce.number().int().min(0).default(MINUTE),
    SIWE_RPC_TIMEOUT_MS: ms(5_000),
    SESSION_ABSOLUTE_TTL_MS: ms(30 * DAY),
    SESSION_IDLE_TTL_MS: ms(7 * DAY),
    /** `smtp://user:pass@host:port` or `smtps://…`; unset = print mail to the log (development). */
    SMTP_URL: urlSchema(['smtp:', 'smtps:']).optional(),
    MAIL_FROM: z.string().min(3).default('Coterie <no-reply@coterie.local>'),
    EMAIL_CODE_TTL_MS: ms(10 * MINUTE),
    EMAIL_CODE_MAX_ATTEMPTS: ms(5),
    /** Sign-in mails per address and per client IP, per hour. */
    EMAIL_START_PER_EMAIL_PER_HOUR: ms(5),
    EMAIL_START_PER_IP_PER_HOUR: ms(30),
  })
  .transform((c) => ({ ...c, APP_DOMAIN: c.APP_DOMAIN ?? new URL(c.APP_ORIGIN).host }));
export type Config = z.infer<typeof configSchema>;
