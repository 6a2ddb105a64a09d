import type { Envelope, EventData, EventsMemberData, memberErasedV1 } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import { readMemberData, scrubMember } from '../adapters/postgres/member-data-repository.ts';
import type { Deps } from '../ports.ts';

/** RSVPs, tickets, refunds and hosted events of the member, for `GET /v1/me/data`. */
export function exportMemberData(deps: Deps, input: { memberId: string }): Promise<EventsMemberData> {
  return readMemberData(deps.pool, input.memberId);
}

/** `identity.member.erased.v1`, once per event (inbox): feed token gone, pending mails skipped. */
export async function scrubErasedMember(
  deps: Deps,
  consumer: string,
  event: Envelope<EventData<typeof memberErasedV1>>,
): Promise<void> {
  let scrubbed = { feeds: 0, reminders: 0 };
  const outcome = await handleOnce(deps.pool, consumer, event, async (client) => {
    scrubbed = await scrubMember(client, event.data.memberId, deps.clock.now());
  });
  if (outcome === 'applied') {
    deps.logger.info({ memberId: event.data.memberId, ...scrubbed }, 'erased member scrubbed from events');
  }
}
