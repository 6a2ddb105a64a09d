import { spendRecordedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { type Deps, SOURCE } from '../ports.ts';
import { requireManager } from './authorize.ts';

type Amount = { value: string; currency: string };

/** An admin enters a month's acquisition spend (CAC's numerator), as an `analytics.spend.recorded.v1` event. */
export async function recordSpend(
  deps: Deps,
  input: { actorId: string; communityId: string; month: string; amount: Amount },
): Promise<{ spend: { month: string; amount: Amount } }> {
  await requireManager(deps, input.actorId, input.communityId);
  await withTransaction(deps.pool, (client) =>
    appendToOutbox(
      client,
      newEvent(
        spendRecordedV1,
        {
          communityId: input.communityId,
          month: input.month,
          amount: input.amount,
          recordedBy: input.actorId,
        },
        { source: SOURCE, communityId: input.communityId, occurredAt: deps.now() },
      ),
    ),
  );
  deps.wakeRelay();
  return { spend: { month: input.month, amount: input.amount } };
}
