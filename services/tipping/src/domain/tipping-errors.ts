import { AppError } from '@coterie/contracts';

export class StripeNotConfiguredError extends AppError {
  constructor() {
    super('stripe_not_configured', 409, 'Fiat tips need the operator to configure Stripe.');
  }
}

/** Tips are destination charges: without a connected account we would hold the creator's money. */
export class StripeAccountNotConnectedError extends AppError {
  constructor() {
    super('stripe_account_not_connected', 409, 'This community has not connected a Stripe account yet.');
  }
}

export class FiatAmountError extends AppError {
  constructor(
    code: 'currency_not_supported' | 'amount_below_minimum' | 'amount_above_maximum',
    details?: unknown,
  ) {
    const text = {
      currency_not_supported: 'Tips are not accepted in this currency.',
      amount_below_minimum: 'The amount is below the minimum tip.',
      amount_above_maximum: 'The amount is above the maximum tip.',
    }[code];
    super(code, 400, text, details);
  }
}

export class ChainNotSupportedError extends AppError {
  constructor(chainId: number) {
    super('chain_not_supported', 400, `Chain ${chainId} is not configured.`);
  }
}

export class CommunityNotFoundError extends AppError {
  constructor() {
    super('community_not_found', 404, 'No such community.');
  }
}

export class MemberNotFoundError extends AppError {
  constructor() {
    super('member_not_found', 404, 'No such member.');
  }
}

export class TipNotFoundError extends AppError {
  constructor() {
    super('tip_not_found', 404, 'No such tip.');
  }
}

export class CannotTipSelfError extends AppError {
  constructor() {
    super('cannot_tip_self', 400, 'You cannot tip yourself.');
  }
}

export class TippingMembersOnlyError extends AppError {
  constructor() {
    super('tipping_members_only', 403, 'Only members of this community can tip here.');
  }
}

export class NotCommunityAdminError extends AppError {
  constructor() {
    super('forbidden', 403, 'Only an owner or admin of this community can reward members.');
  }
}

export class TxSubmittedElsewhereError extends AppError {
  constructor() {
    super('tx_already_submitted', 409, 'This transaction was already submitted in another community.');
  }
}

export class TreasuryNotSetError extends AppError {
  constructor() {
    super('treasury_not_set', 409, 'This community has no treasury wallet on that chain.');
  }
}
