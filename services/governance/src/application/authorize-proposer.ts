import { COMMUNITY_ROLES, type CommunityRole, DEFAULT_GOVERNANCE_SETTINGS } from '@coterie/contracts';
import { findSettings } from '../adapters/postgres/settings-repository.ts';
import { ProposerNotAllowedError } from '../domain/errors.ts';
import type { GovernanceDeps } from '../ports.ts';

const atLeast = (role: CommunityRole | null, required: CommunityRole) =>
  role !== null && COMMUNITY_ROLES.indexOf(role) <= COMMUNITY_ROLES.indexOf(required);

/**
 * May `actorId` open a proposal in the community? Owners and admins always may; others as the
 * community's settings say (a role, a tier rank, or voting power over their linked wallets).
 * Entitlements or identity being down fails closed (their 503 is passed on).
 *
 * @throws {ProposerNotAllowedError}
 */
export async function authorizeProposer(
  deps: GovernanceDeps,
  input: { actorId: string; communityId: string },
): Promise<void> {
  const { proposers: rule } =
    (await findSettings(deps.pool, input.communityId)) ?? DEFAULT_GOVERNANCE_SETTINGS;
  const access = await deps.entitlements.check({
    memberId: input.actorId,
    communityId: input.communityId,
    ...(rule.kind === 'tier' ? { minRank: rule.minRank } : {}),
  });
  if (atLeast(access.role, 'admin')) return;
  switch (rule.kind) {
    case 'role':
      if (atLeast(access.role, rule.role)) return;
      throw new ProposerNotAllowedError(`it takes the ${rule.role} role or higher`);
    case 'tier':
      if (access.allowed) return;
      throw new ProposerNotAllowedError(`it takes a tier of rank ${rule.minRank} or higher`);
    case 'voting-power': {
      const wallets = await deps.identity.walletsOf(input.actorId);
      const block = await deps.chain.snapshotBlock(rule.strategy.params.chainId);
      const powers = wallets.length > 0 ? await deps.chain.votingPower(rule.strategy, block, wallets) : [];
      const total = powers.reduce((s, p) => s + p, 0n);
      if (total >= BigInt(rule.min)) return;
      throw new ProposerNotAllowedError(
        `it takes a voting power of ${rule.min}; your linked wallets have ${total}`,
      );
    }
  }
}
