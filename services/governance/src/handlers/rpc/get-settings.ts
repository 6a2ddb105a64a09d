import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { getSettings } from '../../application/get-settings.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.getSettings`: who may propose in a community. */
export function getSettingsEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.getSettings, async (req) => ({
    settings: await getSettings(deps, req.communityId),
  }));
}
