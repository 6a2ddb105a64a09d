import { randomUUID } from 'node:crypto';
import { npsSubmittedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { NpsAlreadyAnsweredError } from '../domain/errors.ts';
import { type Deps, SOURCE } from '../ports.ts';
import { requireMember } from './authorize.ts';

const THIRTY_DAYS = 30 * 86_400_000;

/**
 * A member answers the survey: at most once per 30 days per community. The guard row and the
 * `analytics.nps.submitted.v1` event commit together; the ANALYTICS consumer projects the event,
 * so a rebuild from the streams includes the answer.
 */
export async function submitNps(
  deps: Deps,
  input: { actorId: string; communityId: string; score: number; comment?: string | undefined },
): Promise<{ response: { id: string; score: number; submittedAt: string } }> {
  await requireMember(deps, input.actorId, input.communityId);
  const now = deps.now();
  const responseId = randomUUID();
  await withTransaction(deps.pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `analytics:nps:${input.communityId}:${input.actorId}`,
    ]);
    const { rows } = await client.query<{ at: Date }>(
      'SELECT at FROM nps_last_answer WHERE community_id = $1 AND member_id = $2',
      [input.communityId, input.actorId],
    );
    const last = rows[0]?.at;
    if (last && now.getTime() < last.getTime() + THIRTY_DAYS) {
      throw new NpsAlreadyAnsweredError(new Date(last.getTime() + THIRTY_DAYS));
    }
    await client.query(
      `INSERT INTO nps_last_answer (community_id, member_id, at) VALUES ($1, $2, $3)
       ON CONFLICT (community_id, member_id) DO UPDATE SET at = GREATEST(nps_last_answer.at, excluded.at)`,
      [input.communityId, input.actorId, now.toISOString()],
    );
    await appendToOutbox(
      client,
      newEvent(
        npsSubmittedV1,
        {
          responseId,
          communityId: input.communityId,
          memberId: input.actorId,
          score: input.score,
          comment: input.comment ?? null,
        },
        { source: SOURCE, communityId: input.communityId, occurredAt: now },
      ),
    );
  });
  deps.wakeRelay();
  return { response: { id: responseId, score: input.score, submittedAt: now.toISOString() } };
}
