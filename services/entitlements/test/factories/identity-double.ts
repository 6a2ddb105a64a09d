import { identityRpc, type Member } from '@coterie/contracts';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  type NatsConnection,
  rpcEndpoint,
  startRpcService,
} from '@coterie/messaging';
import { testInfra } from '@coterie/testing';

/**
 * A stand-in for the identity service over real NATS, in the test's namespace: it answers
 * `identity.rpc.getMember(s)` and `memberByAddress` from a map the test controls. Tests only: identity's own
 * `getMember` is not implemented yet, and entitlements must not depend on its internals anyway.
 */
export interface IdentityDouble {
  setMember(id: string, facts: { wallets?: string[]; emails?: string[] }): void;
  stop(): Promise<void>;
}

export async function startIdentityDouble(namespace: string): Promise<IdentityDouble> {
  const members = new Map<string, Member>();
  const byAddress = new Map<string, string>();
  const nc: NatsConnection = await connectNats({
    url: testInfra().natsUrl,
    name: `${namespace}-identity-double`,
  });
  const naming = createNaming(namespace);
  const service = await startRpcService({
    nc,
    naming,
    logger: createLogger({ name: 'identity-double', level: 'silent' }),
    name: 'identity',
    discoveryName: naming.serviceName('identity'),
    version: '0.0.0-test',
    endpoints: [
      rpcEndpoint(identityRpc.getMember, async ({ memberId }) => ({ member: members.get(memberId) ?? null })),
      rpcEndpoint(identityRpc.getMembers, async ({ memberIds }) => ({
        members: memberIds.flatMap((id) => members.get(id) ?? []),
      })),
      rpcEndpoint(identityRpc.memberByAddress, async ({ address }) => ({
        memberId: byAddress.get(address.toLowerCase()) ?? null,
      })),
    ],
  });
  return {
    setMember(id, facts) {
      for (const [address, memberId] of byAddress) if (memberId === id) byAddress.delete(address);
      for (const wallet of facts.wallets ?? []) byAddress.set(wallet.toLowerCase(), id);
      members.set(id, {
        id,
        displayName: null,
        bio: null,
        avatarUrl: null,
        wallets: facts.wallets ?? [],
        emails: facts.emails ?? [],
        createdAt: new Date().toISOString(),
      });
    },
    async stop() {
      await service.stop();
      await nc.drain();
    },
  };
}
