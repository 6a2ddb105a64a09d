import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { setSettings } from '../../application/set-settings.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.setSettings`: owners and admins decide who may propose. */
export function setSettingsEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.setSettings, async (req) => ({ settings: await setSettings(deps, req) }));
}
