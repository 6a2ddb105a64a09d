import { AppError } from '@coterie/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ingestStripeWebhook, type StripeWebhookDeps } from '../application/ingest-stripe-webhook.ts';
import { problemResponses } from '../problems.ts';

export interface StripeWebhookRoutesOptions {
  /** Undefined when the operator configured no webhook secret. */
  deps: StripeWebhookDeps | undefined;
}

/**
 * `POST /v1/webhooks/stripe`: 400 on a bad signature (nothing stored), 200 once the event is
 * stored in JetStream, 5xx when it could not be stored, so Stripe retries later.
 */
export const stripeWebhookRoutes: FastifyPluginAsyncTypebox<StripeWebhookRoutesOptions> = async (
  fastify,
  options,
) => {
  // The signature covers the exact bytes: keep the body raw in this scope.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) =>
    done(null, body),
  );

  fastify.post(
    '/v1/webhooks/stripe',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Stripe webhook ingress (raw body, signature verified)',
        response: {
          200: Type.Object({ received: Type.Boolean(), stored: Type.Boolean() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      if (!options.deps) {
        // No secret, no signature that verifies: the sender is told so, as for any bad one.
        throw new AppError(
          'stripe_signature_invalid',
          400,
          'This Coterie has no Stripe webhook secret configured (STRIPE_WEBHOOK_SECRET), so no signature verifies.',
        );
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from('');
      const signature = request.headers['stripe-signature'];
      const result = await ingestStripeWebhook(
        options.deps,
        body,
        Array.isArray(signature) ? signature[0] : signature,
      ).catch((error: unknown) => {
        if (error instanceof AppError) throw error;
        request.log.error({ err: error }, 'could not store a Stripe webhook');
        throw new AppError('service_unavailable', 503, 'The event could not be stored; Stripe will retry.');
      });
      return { received: true, stored: result.stored };
    },
  );
};
