import type { CommunityRole } from '@coterie/contracts';
import { entitlementsRpc, identityRpc } from '@coterie/contracts';
import type { Naming, NatsConnection } from '@coterie/messaging';

export interface AccessEntry {
  tierRank: number | null;
  role: CommunityRole | null;
}

/**
 * Test doubles of the two services events asks over NATS, answering real requests in the
 * test's namespace from maps the test controls: `entitlements.rpc.check` and
 * `identity.rpc.getMembers`.
 */
export interface Collaborators {
  /** `${communityId}:${memberId}` → tier rank and role; absent = no tier, no role. */
  access: Map<string, AccessEntry>;
  emails: Map<string, string>;
  grant(communityId: string, memberId: string, entry: Partial<AccessEntry>): void;
  stop(): Promise<void>;
}

export function startCollaborators(nc: NatsConnection, naming: Naming): Collaborators {
  const access = new Map<string, AccessEntry>();
  const emails = new Map<string, string>();
  const check = nc.subscribe(naming.subject(entitlementsRpc.check.subject), {
    callback: (_err, msg) => {
      const req = entitlementsRpc.check.request.parse(msg.json());
      const entry = access.get(`${req.communityId}:${req.memberId}`) ?? { tierRank: null, role: null };
      const manager = entry.role === 'owner' || entry.role === 'admin';
      const byTier = entry.tierRank !== null && (req.minRank === undefined || entry.tierRank >= req.minRank);
      msg.respond(
        JSON.stringify({
          allowed: manager || byTier,
          tier:
            entry.tierRank === null
              ? null
              : {
                  id: '00000000-0000-4000-8000-000000000000',
                  name: `Rank ${entry.tierRank}`,
                  rank: entry.tierRank,
                },
          role: entry.role,
        }),
      );
    },
  });
  const members = nc.subscribe(naming.subject(identityRpc.getMembers.subject), {
    callback: (_err, msg) => {
      const req = identityRpc.getMembers.request.parse(msg.json());
      msg.respond(
        JSON.stringify({
          members: req.memberIds
            .filter((id) => emails.has(id))
            .map((id) => ({
              id,
              displayName: null,
              bio: null,
              avatarUrl: null,
              wallets: [],
              emails: [emails.get(id)],
              createdAt: new Date(0).toISOString(),
            })),
        }),
      );
    },
  });
  return {
    access,
    emails,
    grant(communityId, memberId, entry) {
      access.set(`${communityId}:${memberId}`, { tierRank: null, role: null, ...entry });
    },
    async stop() {
      check.unsubscribe();
      members.unsubscribe();
    },
  };
}
