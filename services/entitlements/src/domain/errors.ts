import { AppError } from '@coterie/contracts';

export class CommunityNotFoundError extends AppError {
  constructor(slugOrId: string) {
    super('community_not_found', 404, `community ${slugOrId} does not exist`);
  }
}

export class SlugTakenError extends AppError {
  constructor(slug: string) {
    super('slug_taken', 409, `the slug ${slug} is taken`);
  }
}

/** Also what a manager of community A gets for B: roles are per community. */
export class ForbiddenError extends AppError {
  constructor(message = 'only the owner or an admin of this community may do this') {
    super('forbidden', 403, message);
  }
}

export class UnknownChainError extends AppError {
  constructor(chainId: number) {
    super('unknown_chain', 400, `chain ${chainId} is not one this deployment reads (CHAINS)`, { chainId });
  }
}

export class TierRankTakenError extends AppError {
  constructor(rank: number) {
    super('tier_rank_taken', 409, `this community already has a tier of rank ${rank}`);
  }
}

export class OwnerRoleImmutableError extends AppError {
  constructor() {
    super('owner_role_immutable', 409, "the owner's role cannot be changed");
  }
}

export class TierNotFoundError extends AppError {
  constructor(tierId: string) {
    super('tier_not_found', 404, `tier ${tierId} does not exist in this community`);
  }
}

/** The operator has not set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: fiat is off, tokens still work. */
export class StripeNotConfiguredError extends AppError {
  constructor() {
    super('stripe_not_configured', 409, 'payments are not configured on this deployment');
  }
}

/** The community has not connected a Stripe account (`POST …/stripe/connect`) yet. */
export class StripeAccountMissingError extends AppError {
  constructor() {
    super('stripe_account_missing', 409, 'this community has not connected a Stripe account yet');
  }
}

/** Onboarding was started but Stripe does not let the account take charges yet. */
export class StripeAccountNotReadyError extends AppError {
  constructor() {
    super('stripe_account_not_ready', 409, "this community's Stripe account cannot take payments yet");
  }
}

export class TierNotPricedError extends AppError {
  constructor() {
    super('tier_not_priced', 409, 'this tier has no price: it is joined by holding what its gate asks');
  }
}

export class AlreadySubscribedError extends AppError {
  constructor() {
    super('already_subscribed', 409, 'you already subscribe to this tier; manage it in the billing portal');
  }
}

export class StripeCustomerNotFoundError extends AppError {
  constructor() {
    super(
      'stripe_customer_not_found',
      404,
      'you have no Stripe billing account yet: subscribe to a tier first',
    );
  }
}

/**
 * A chain read a gate needs failed or timed out (`CHAIN_RPC_TIMEOUT_MS`): nothing is granted on
 * an unknown, and a refresh that cannot decide changes nothing rather than guess. Retry later.
 */
export class ChainUnavailableError extends AppError {
  constructor() {
    super(
      'chain_unavailable',
      503,
      'token holdings could not be read from the chain right now; nothing was changed, try again shortly',
    );
  }
}
