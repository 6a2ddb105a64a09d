import { type Envelope, walletUnlinkedV1 } from '@coterie/contracts';
import { reevaluateMemberEverywhere } from '../../application/reevaluate-member-everywhere.ts';
import type { Deps } from '../../ports.ts';

/** Holdings of an unlinked wallet no longer count for the member. */
export function onWalletUnlinked(deps: Deps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    const { memberId } = walletUnlinkedV1.data.parse(event.data);
    await reevaluateMemberEverywhere(deps, { memberId, event, consumer });
  };
}
