import { type CommunityRole, entitlementsRpc } from '@coterie/contracts';
import { createLogger } from '@coterie/logger';
import { connectNats, createNaming, rpcEndpoint, startRpcService } from '@coterie/messaging';
import { testInfra } from '@coterie/testing';

/**
 * A stand-in for `entitlements.rpc.check` over real NATS in the test's namespace: answers from
 * roles and members the test sets. Analytics only needs the actor's role and whether they belong.
 */
export interface EntitlementsDouble {
  setRole(memberId: string, role: CommunityRole): void;
  addMember(memberId: string): void;
  stop(): Promise<void>;
}

export async function startEntitlementsDouble(namespace: string): Promise<EntitlementsDouble> {
  const roles = new Map<string, CommunityRole>();
  const members = new Set<string>();
  const nc = await connectNats({ url: testInfra().natsUrl, name: `${namespace}-entitlements-double` });
  const service = await startRpcService({
    nc,
    naming: createNaming(namespace),
    logger: createLogger({ name: 'entitlements-double', level: 'silent' }),
    name: 'entitlements',
    discoveryName: `${namespace}_entitlements_double`,
    version: '0.0.0',
    endpoints: [
      rpcEndpoint(entitlementsRpc.check, async ({ memberId }) => {
        const role = roles.get(memberId) ?? null;
        const member = members.has(memberId);
        return {
          allowed: member || role === 'owner' || role === 'admin',
          tier: member ? { id: '00000000-0000-4000-8000-000000000001', name: 'Supporter', rank: 1 } : null,
          role,
        };
      }),
    ],
  });
  return {
    setRole: (memberId, role) => roles.set(memberId, role),
    addMember: (memberId) => members.add(memberId),
    async stop() {
      await service.stop();
      await nc.close();
    },
  };
}
