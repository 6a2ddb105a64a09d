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
