import type { Queryable } from '@coterie/db';
import { subscriptionChanges } from '../adapters/postgres/read-model.ts';
import { type CohortRow, retentionCohorts } from '../domain/kpi/index.ts';

/** Monthly retention of paying customers, by the month of their first payment, up to `until`. */
export async function computeCohorts(q: Queryable, communityId: string, until: Date): Promise<CohortRow[]> {
  return retentionCohorts(await subscriptionChanges(q, communityId), until);
}
