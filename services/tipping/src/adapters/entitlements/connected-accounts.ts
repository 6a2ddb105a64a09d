import { entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { ConnectedAccounts } from '../../ports.ts';

/**
 * The community's Stripe connected account from entitlements (which runs Connect onboarding).
 * An account that cannot take charges yet counts as none: the tip is refused, not parked.
 */
export function createConnectedAccounts(rpc: RpcClient): ConnectedAccounts {
  return {
    async destinationFor(communityId) {
      const { accountId, chargesEnabled } = await rpc.call(entitlementsRpc.stripeAccount, { communityId });
      return accountId && chargesEnabled ? accountId : null;
    },
  };
}
