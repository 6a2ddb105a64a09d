import type { Envelope, EventData, memberErasedV1 } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import { scrubTipMessagesOf } from '../adapters/postgres/member-data-repository.ts';
import type { TippingDeps } from '../ports.ts';

/**
 * `identity.member.erased.v1`: the member's tip messages are scrubbed, once per event (inbox);
 * tips, lines and ledger entries stay, keyed by the id identity has pseudonymised.
 */
export async function scrubErasedMember(
  deps: TippingDeps,
  consumer: string,
  event: Envelope<EventData<typeof memberErasedV1>>,
): Promise<void> {
  let scrubbed = 0;
  const outcome = await handleOnce(deps.pool, consumer, event, async (client) => {
    scrubbed = await scrubTipMessagesOf(client, event.data.memberId);
  });
  if (outcome === 'applied') {
    deps.logger.info({ memberId: event.data.memberId, scrubbed }, 'erased member scrubbed from tips');
  }
}
