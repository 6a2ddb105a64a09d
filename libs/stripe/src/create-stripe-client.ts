import Stripe from 'stripe';

export interface CreateStripeClientOptions {
  secretKey: string;
  /** Where API calls go: Stripe's own by default; tests point it at a local double (`http://127.0.0.1:…`). */
  apiBaseUrl?: string | undefined;
  timeoutMs?: number;
}

/** The Stripe SDK as every Coterie service uses it (retries on network errors, bounded time). */
export function createStripeClient(options: CreateStripeClientOptions): Stripe {
  const base = options.apiBaseUrl ? new URL(options.apiBaseUrl) : undefined;
  return new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    timeout: options.timeoutMs ?? 15_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
