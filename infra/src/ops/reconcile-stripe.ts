import { parseArgs } from 'node:util';
import { loadConfigOrExit, serviceEnvSchema } from '@coterie/config';
import { reconcileStripeEvents, type StripeEventLike } from '@coterie/gateway/reconcile-stripe-events';
import { connectNats, createNaming } from '@coterie/messaging';
import { createStripeClient } from '@coterie/stripe';
import { jetstream } from '@nats-io/jetstream';
import { z } from 'zod';

/**
 * `pnpm reconcile:stripe [--days 30]`: asks Stripe for the events it has not delivered
 * (`delivery_success: false`, created in the last `--days`, every page) and stores each one on
 * its owner's stream through the webhook route's own `storeStripeEvent`, so the owning service
 * applies it exactly once (already-handled events are no-ops). Prints a JSON summary; exits 1
 * if some event could not be stored (run it again), 78 on a bad configuration.
 *
 * It needs only what it uses: a Stripe key that may read Events (a restricted `rk_…` key with
 * Events: read is enough), and NATS. Not the webhook signing secret, not the database.
 */
const configSchema = serviceEnvSchema.pick({ NATS_URL: true, COTERIE_NAMESPACE: true }).extend({
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe sk_… or rk_… key (Events: read)'),
  /** Tests only: sends the SDK's calls to a local double. */
  STRIPE_API_BASE_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https?$/ }).optional(),
  ),
});

const { values } = parseArgs({ options: { days: { type: 'string', default: '30' } } });
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 30) {
  process.stderr.write('--days must be a whole number from 1 to 30 (Stripe keeps events 30 days)\n');
  process.exit(64); // EX_USAGE
}
const config = loadConfigOrExit(configSchema);
const stripe = createStripeClient({
  secretKey: config.STRIPE_SECRET_KEY,
  apiBaseUrl: config.STRIPE_API_BASE_URL,
});
const nc = await connectNats({ url: config.NATS_URL, name: 'reconcile-stripe' });
try {
  const since = new Date(Date.now() - days * 86_400_000);
  const summary = await reconcileStripeEvents(
    {
      js: jetstream(nc),
      naming: createNaming(config.COTERIE_NAMESPACE),
      undeliveredEvents: (from) =>
        stripe.events.list({
          delivery_success: false,
          created: { gte: Math.floor(from.getTime() / 1000) },
          limit: 100,
        }) as AsyncIterable<StripeEventLike>,
    },
    { since },
  );
  process.stdout.write(`${JSON.stringify({ since: since.toISOString(), ...summary })}\n`);
  process.exitCode = summary.failed.length > 0 ? 1 : 0;
} finally {
  await nc.drain();
}
