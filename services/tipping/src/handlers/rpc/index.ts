import { tippingRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createFiatTip } from '../../application/create-fiat-tip.ts';
import { exportMemberData } from '../../application/export-member-data.ts';
import { getTip, leaderboard, listTips } from '../../application/queries.ts';
import { rewardMember } from '../../application/reward-member.ts';
import { submitCryptoTip } from '../../application/submit-crypto-tip.ts';
import type { TippingDeps } from '../../ports.ts';

/** NATS endpoints the gateway and other services call (`tipping.rpc.<action>`); `health` comes from the kit. */
export function rpcEndpoints(deps: TippingDeps): RpcEndpoint[] {
  return [
    rpcEndpoint(tippingRpc.createFiatTip, (req) => createFiatTip(deps, req)),
    rpcEndpoint(tippingRpc.submitCryptoTip, async (req) => ({ tip: await submitCryptoTip(deps, req) })),
    rpcEndpoint(tippingRpc.rewardMember, async (req) => ({ tip: await rewardMember(deps, req) })),
    rpcEndpoint(tippingRpc.getTip, async (req) => ({ tip: await getTip(deps, req) })),
    rpcEndpoint(tippingRpc.listTips, (req) => listTips(deps, req)),
    rpcEndpoint(tippingRpc.leaderboard, (req) => leaderboard(deps, req)),
    rpcEndpoint(tippingRpc.exportMemberData, (req) => exportMemberData(deps, req)),
  ];
}
