import type { GovernanceSettings } from '@coterie/contracts';
import { upsertSettings } from '../adapters/postgres/settings-repository.ts';
import { ChainUnsupportedError, NotCommunityAdminError } from '../domain/errors.ts';
import type { GovernanceDeps } from '../ports.ts';
import type { GovernanceInput } from './rpc-types.ts';

/** Owners and admins set who may propose. */
export async function setSettings(
  deps: GovernanceDeps,
  input: GovernanceInput<'setSettings'>,
): Promise<GovernanceSettings> {
  const access = await deps.entitlements.check({ memberId: input.actorId, communityId: input.communityId });
  if (access.role !== 'owner' && access.role !== 'admin') throw new NotCommunityAdminError();
  const rule = input.settings.proposers;
  if (rule.kind === 'voting-power' && !deps.chain.isConfigured(rule.strategy.params.chainId)) {
    throw new ChainUnsupportedError(rule.strategy.params.chainId);
  }
  await upsertSettings(deps.pool, input.communityId, input.settings, input.actorId);
  return input.settings;
}
