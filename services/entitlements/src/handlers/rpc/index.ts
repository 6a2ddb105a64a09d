import type { RpcEndpoint } from '@coterie/messaging';
import type { Deps } from '../../ports.ts';
import { checkEndpoint } from './check.ts';
import { connectStripeEndpoint } from './connect-stripe.ts';
import { createBillingPortalEndpoint } from './create-billing-portal.ts';
import { createCheckoutEndpoint } from './create-checkout.ts';
import { createCommunityEndpoint } from './create-community.ts';
import { createTierEndpoint } from './create-tier.ts';
import { exportMemberDataEndpoint } from './export-member-data.ts';
import { getCommunityEndpoint } from './get-community.ts';
import { getMembershipEndpoint } from './get-membership.ts';
import { listCommunitiesEndpoint } from './list-communities.ts';
import { listMembersEndpoint } from './list-members.ts';
import { listTiersEndpoint } from './list-tiers.ts';
import { lookupEndpoints } from './lookups.ts';
import { refreshMembershipEndpoint } from './refresh-membership.ts';
import { rescanChainEndpoint } from './rescan-chain.ts';
import { setRoleEndpoint } from './set-role.ts';
import { updateCommunityEndpoint } from './update-community.ts';
import { updateTierEndpoint } from './update-tier.ts';

/** NATS endpoints the gateway and other services call (`entitlements.rpc.<action>`); `health` comes from the kit. */
export function rpcEndpoints(deps: Deps): RpcEndpoint[] {
  return [
    createCommunityEndpoint(deps),
    listCommunitiesEndpoint(deps),
    getCommunityEndpoint(deps),
    updateCommunityEndpoint(deps),
    setRoleEndpoint(deps),
    createTierEndpoint(deps),
    updateTierEndpoint(deps),
    listTiersEndpoint(deps),
    getMembershipEndpoint(deps),
    refreshMembershipEndpoint(deps),
    rescanChainEndpoint(deps),
    checkEndpoint(deps),
    listMembersEndpoint(deps),
    createCheckoutEndpoint(deps),
    createBillingPortalEndpoint(deps),
    connectStripeEndpoint(deps),
    ...lookupEndpoints(deps),
    exportMemberDataEndpoint(deps),
  ];
}
