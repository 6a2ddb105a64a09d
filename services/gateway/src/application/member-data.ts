import {
  type AnalyticsMemberData,
  analyticsRpc,
  type EntitlementsMemberData,
  type EventsMemberData,
  entitlementsRpc,
  eventsRpc,
  type GovernanceMemberData,
  governanceRpc,
  type IdentityMemberData,
  identityRpc,
  type TippingMemberData,
  tippingRpc,
} from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';

/** The document `GET /v1/me/data` answers: one section per context, each its own contract's shape. */
export interface MemberDataExport {
  format: 'coterie.member-data';
  version: 1;
  memberId: string;
  exportedAt: string;
  identity: IdentityMemberData;
  entitlements: EntitlementsMemberData;
  tipping: TippingMemberData;
  events: EventsMemberData;
  governance: GovernanceMemberData;
  analytics: AnalyticsMemberData;
}

/** Exports touch every row a member has: give the services longer than a page read. */
const EXPORT_TIMEOUT_MS = 15_000;

/**
 * Asks every context for what it holds about `memberId` (`<context>.rpc.exportMemberData`).
 * Identity answers first: governance keys votes by wallet and needs the member's addresses. Any
 * context failing fails the export (a partial export would look complete).
 */
export async function collectMemberData(
  rpc: RpcClient,
  memberId: string,
  now: Date = new Date(),
): Promise<MemberDataExport> {
  const options = { timeoutMs: EXPORT_TIMEOUT_MS };
  const identity = await rpc.call(identityRpc.exportMemberData, { memberId }, options);
  const addresses = identity.wallets.map((w) => w.address);
  const [entitlements, tipping, events, governance, analytics] = await Promise.all([
    rpc.call(entitlementsRpc.exportMemberData, { memberId }, options),
    rpc.call(tippingRpc.exportMemberData, { memberId }, options),
    rpc.call(eventsRpc.exportMemberData, { memberId }, options),
    rpc.call(governanceRpc.exportMemberData, { memberId, addresses }, options),
    rpc.call(analyticsRpc.exportMemberData, { memberId }, options),
  ]);
  return {
    format: 'coterie.member-data',
    version: 1,
    memberId,
    exportedAt: now.toISOString(),
    identity,
    entitlements,
    tipping,
    events,
    governance,
    analytics,
  };
}
