import { AppError, entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { findCommunityById } from '../../adapters/postgres/communities-repository.ts';
import { listMembershipsOfMember } from '../../adapters/postgres/memberships-repository.ts';
import { findStripeAccount } from '../../adapters/postgres/stripe-repository.ts';
import type { Deps } from '../../ports.ts';

/** Read-only lookups other services make by id (they never read this service's tables). */
export function lookupEndpoints(deps: Deps): RpcEndpoint[] {
  return [
    rpcEndpoint(entitlementsRpc.getCommunityById, async ({ communityId }) => {
      const community = await findCommunityById(deps.pool, communityId);
      if (!community) throw new AppError('community_not_found', 404, 'No such community.');
      return { community };
    }),
    rpcEndpoint(entitlementsRpc.stripeAccount, async ({ communityId }) => {
      const account = await findStripeAccount(deps.pool, communityId);
      return { accountId: account?.accountId ?? null, chargesEnabled: account?.chargesEnabled ?? false };
    }),
    rpcEndpoint(entitlementsRpc.listMemberships, async ({ memberId }) => ({
      items: await listMembershipsOfMember(deps.pool, memberId),
    })),
  ];
}
