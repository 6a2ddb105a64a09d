import type { EntitlementsMemberData } from '@coterie/contracts';
import { readMemberData } from '../adapters/postgres/member-data-repository.ts';
import type { Deps } from '../ports.ts';

/**
 * The member's roles, memberships, subscriptions and created communities for `GET /v1/me/data`.
 * Only ever the caller's own data: the gateway passes the session's member id.
 */
export function exportMemberData(deps: Deps, input: { memberId: string }): Promise<EntitlementsMemberData> {
  return readMemberData(deps.pool, input.memberId);
}
