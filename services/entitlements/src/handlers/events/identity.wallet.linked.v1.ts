import { type Envelope, walletLinkedV1 } from '@coterie/contracts';
import { reevaluateMemberEverywhere } from '../../application/reevaluate-member-everywhere.ts';
import type { Deps } from '../../ports.ts';

/** A newly linked wallet may hold what a gate asks for. */
export function onWalletLinked(deps: Deps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    const { memberId } = walletLinkedV1.data.parse(event.data);
    await reevaluateMemberEverywhere(deps, { memberId, event, consumer });
  };
}
