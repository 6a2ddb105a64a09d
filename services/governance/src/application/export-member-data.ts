import type { GovernanceMemberData } from '@coterie/contracts';
import { readMemberData } from '../adapters/postgres/member-data-repository.ts';
import type { GovernanceDeps } from '../ports.ts';
import type { GovernanceInput } from './rpc-types.ts';

/**
 * `GET /v1/me/data`: the member's votes, as signed, and the proposals they authored. Votes are
 * keyed by wallet, so the gateway passes the member's linked addresses.
 */
export function exportMemberData(
  deps: GovernanceDeps,
  input: GovernanceInput<'exportMemberData'>,
): Promise<GovernanceMemberData> {
  return readMemberData(deps.pool, input.memberId, input.addresses);
}
