import { DEFAULT_GOVERNANCE_SETTINGS, type GovernanceSettings } from '@coterie/contracts';
import { findSettings } from '../adapters/postgres/settings-repository.ts';
import type { GovernanceDeps } from '../ports.ts';

/** The community's governance settings; owners and admins only until someone saves others. */
export async function getSettings(deps: GovernanceDeps, communityId: string): Promise<GovernanceSettings> {
  return (await findSettings(deps.pool, communityId)) ?? DEFAULT_GOVERNANCE_SETTINGS;
}
