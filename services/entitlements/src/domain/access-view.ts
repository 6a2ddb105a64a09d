import type { CommunityRole, TierRef } from '@coterie/contracts';

interface Entry {
  tier: TierRef | null;
  tierVersion: number;
  role: CommunityRole | null;
  roleVersion: number;
}

export interface AccessAnswer {
  allowed: boolean;
  tier: TierRef | null;
  role: CommunityRole | null;
}

/**
 * What `entitlements.rpc.check` answers from: communityId → memberId → {tier, role}.
 * Updates carry the row's version and only a newer version wins, so the start-up snapshot,
 * this process's own writes and the events of other replicas can arrive in any order.
 */
export class AccessView {
  private readonly communities = new Map<string, Map<string, Entry>>();
  private ready = false;

  /** True once the start-up snapshot was loaded: before that a miss proves nothing. */
  get isReady(): boolean {
    return this.ready;
  }

  markReady(): void {
    this.ready = true;
  }

  addCommunity(communityId: string): void {
    if (!this.communities.has(communityId)) this.communities.set(communityId, new Map());
  }

  applyMembership(communityId: string, memberId: string, tier: TierRef | null, version: number): void {
    const entry = this.entry(communityId, memberId);
    if (version <= entry.tierVersion) return;
    entry.tier = tier;
    entry.tierVersion = version;
  }

  applyRole(communityId: string, memberId: string, role: CommunityRole | null, version: number): void {
    const entry = this.entry(communityId, memberId);
    if (version <= entry.roleVersion) return;
    entry.role = role;
    entry.roleVersion = version;
  }

  /**
   * Undefined when this view cannot answer (not loaded yet, or a community it has not heard of):
   * the caller falls back to the database rather than deny a member of a brand-new community.
   * Owners and admins pass every check of their community.
   */
  check(communityId: string, memberId: string, minRank?: number): AccessAnswer | undefined {
    if (!this.ready) return undefined;
    const members = this.communities.get(communityId);
    if (!members) return undefined;
    const entry = members.get(memberId);
    return decide(entry?.tier ?? null, entry?.role ?? null, minRank);
  }

  private entry(communityId: string, memberId: string): Entry {
    let members = this.communities.get(communityId);
    if (!members) {
      members = new Map();
      this.communities.set(communityId, members);
    }
    let entry = members.get(memberId);
    if (!entry) {
      entry = { tier: null, tierVersion: 0, role: null, roleVersion: 0 };
      members.set(memberId, entry);
    }
    return entry;
  }
}

export function decide(tier: TierRef | null, role: CommunityRole | null, minRank?: number): AccessAnswer {
  const manager = role === 'owner' || role === 'admin';
  const byTier = tier !== null && (minRank === undefined || tier.rank >= minRank);
  return { allowed: manager || byTier, tier, role };
}
