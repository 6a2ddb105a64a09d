import type { AnalyticsMemberData } from '@coterie/contracts';
import { readMemberData } from '../adapters/postgres/member-data-repository.ts';
import type { Deps } from '../ports.ts';

/** The member's own activity and NPS answers, for `GET /v1/me/data` (the session's member only). */
export function exportMemberData(deps: Deps, input: { memberId: string }): Promise<AnalyticsMemberData> {
  return readMemberData(deps.pool, input.memberId);
}
