import { AppError } from '@coterie/contracts';

/** Stable codes of the governance context; the gateway maps them to HTTP in one place (status is a hint). */
export class GovernanceError<TCode extends string = string> extends AppError {
  declare readonly code: TCode;

  constructor(code: TCode, status: number, message: string, details?: unknown) {
    super(code, status, message, details);
  }
}

export class ProposalNotFoundError extends GovernanceError<'proposal_not_found'> {
  constructor() {
    super('proposal_not_found', 404, 'No such proposal in this community.');
  }
}

export class ProposerNotAllowedError extends GovernanceError<'proposer_not_allowed'> {
  constructor(reason: string) {
    super('proposer_not_allowed', 403, `You may not open proposals in this community: ${reason}.`);
  }
}

export class NotCommunityAdminError extends GovernanceError<'not_community_admin'> {
  constructor() {
    super('not_community_admin', 403, 'Only the owner or an admin may change governance settings.');
  }
}

export class ChainUnsupportedError extends GovernanceError<'chain_unsupported'> {
  constructor(chainId: number) {
    super('chain_unsupported', 400, `Chain ${chainId} is not configured on this server.`);
  }
}

export class InvalidProposalError extends GovernanceError<'proposal_invalid'> {
  constructor(message: string) {
    super('proposal_invalid', 400, message);
  }
}

export class StrategyUnavailableError extends GovernanceError<'strategy_unavailable'> {
  constructor(message: string, cause?: unknown) {
    super('strategy_unavailable', 503, message);
    if (cause !== undefined) this.cause = cause;
  }
}

export class ChoiceInvalidError extends GovernanceError<'choice_invalid'> {
  constructor(message: string) {
    super('choice_invalid', 400, message);
  }
}

export type VoteRefusalCode =
  | 'voting_not_started'
  | 'voting_closed'
  | 'vote_proposal_mismatch'
  | 'vote_domain_mismatch'
  | 'vote_timestamp_skew'
  | 'vote_signature_invalid'
  | 'vote_verification_unavailable'
  | 'vote_stale'
  | 'no_voting_power'
  | 'not_eligible_member';

const VOTE_STATUS: Record<VoteRefusalCode, number> = {
  voting_not_started: 409,
  voting_closed: 409,
  vote_proposal_mismatch: 400,
  vote_domain_mismatch: 400,
  vote_timestamp_skew: 400,
  vote_signature_invalid: 400,
  vote_verification_unavailable: 503,
  vote_stale: 409,
  no_voting_power: 403,
  not_eligible_member: 403,
};

/** A vote refused; `code` says why (API.md error codes). */
export class VoteRefusedError extends GovernanceError<VoteRefusalCode> {
  constructor(code: VoteRefusalCode, message: string, details?: unknown) {
    super(code, VOTE_STATUS[code], message, details);
  }
}
