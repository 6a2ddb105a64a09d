import type { RpcEndpoint } from '@coterie/messaging';
import type { ServiceRuntime } from '@coterie/service-kit';

/** NATS endpoints the gateway and other services call (`governance.rpc.<action>`); `health` comes from the kit. */
export function rpcEndpoints(_runtime: ServiceRuntime): RpcEndpoint[] {
  return [];
}
