import { serviceEnvSchema, urlSchema } from '@coterie/config';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const MINUTE = 60_000;

/** Environment of the events service; the type is derived from the schema, never re-declared. */
export const configSchema = serviceEnvSchema.extend({
  /** The web app's origin: links in mails point at it. */
  APP_ORIGIN: urlSchema(['http:', 'https:']).default('http://localhost:3000'),
  /** Unset: paid tickets are refused with 409 `stripe_not_configured`. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Stripe's API origin, e.g. a local double in tests (`http://127.0.0.1:12111`). */
  STRIPE_API_BASE_URL: urlSchema(['http:', 'https:']).optional(),
  /** The platform's share of each ticket, in basis points (100 = 1 %). */
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** How long a seat is held for a ticket checkout (Stripe's minimum session lifetime is 30 min). */
  TICKET_HOLD_MS: z.coerce
    .number()
    .int()
    .min(30 * MINUTE + 30_000)
    .max(24 * 60 * MINUTE)
    .default(31 * MINUTE),
  /** After a checkout's expiry, how long to wait for Stripe's `checkout.session.expired` before releasing anyway. */
  HOLD_RELEASE_GRACE_MS: ms(10 * MINUTE),
  /** `smtp://user:pass@host:port` or `smtps://…`; unset = print mail to the log (development). */
  SMTP_URL: urlSchema(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('Coterie <events@coterie.local>'),
  /** How often the reminder/refund/hold loop looks for due work. */
  EVENTS_TICK_MS: ms(15_000),
});
export type Config = z.infer<typeof configSchema>;
