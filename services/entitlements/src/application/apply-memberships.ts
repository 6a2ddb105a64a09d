import {
  membershipChangedV1,
  membershipGrantedV1,
  membershipRevokedV1,
  type TierRef,
} from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { lockMembership, saveMembership } from '../adapters/postgres/memberships-repository.ts';
import { type Deps, SOURCE } from '../ports.ts';
import type { ComputedMembership } from './compute-memberships.ts';

export interface MembershipChange {
  communityId: string;
  memberId: string;
  tier: TierRef | null;
  version: number;
}

export interface ApplyMeta {
  /** When the facts were gathered: a row checked after that keeps its newer answer. */
  startedAt: Date;
  causationId?: string;
  correlationId?: string;
}

/**
 * Persists computed memberships in the caller's transaction and appends granted / changed /
 * revoked only when the tier actually changes, so evaluating twice has one effect. Rows are
 * locked in a fixed order so that concurrent batches cannot deadlock.
 */
export async function applyMemberships(
  deps: Deps,
  client: Queryable,
  computed: readonly ComputedMembership[],
  meta: ApplyMeta,
): Promise<MembershipChange[]> {
  const changes: MembershipChange[] = [];
  const now = deps.now();
  // `checked_at` is when the facts were gathered, not when they were written: a slower
  // evaluation that read older facts must not win over a later one that committed first.
  const checkedAt = meta.startedAt;
  const validUntil = new Date(checkedAt.getTime() + deps.reverifyIntervalMs);
  const ordered = [...computed].sort((a, b) =>
    a.communityId === b.communityId
      ? a.memberId.localeCompare(b.memberId)
      : a.communityId.localeCompare(b.communityId),
  );
  for (const m of ordered) {
    const row = await lockMembership(client, m.communityId, m.memberId);
    if (row.checkedAt !== null && row.checkedAt > meta.startedAt) continue;
    const before = row.tier;
    const same = (before?.id ?? null) === (m.tier?.id ?? null);
    const version = same ? row.version : row.version + 1;
    await saveMembership(client, {
      communityId: m.communityId,
      memberId: m.memberId,
      tierId: m.tier?.id ?? null,
      via: m.via,
      since: same ? row.since : m.tier ? now : null,
      checkedAt,
      validUntil: m.recheckBy && m.recheckBy < validUntil ? m.recheckBy : validUntil,
      version,
    });
    if (same) continue;
    const eventMeta = {
      source: SOURCE,
      communityId: m.communityId,
      ...(meta.causationId ? { causationId: meta.causationId } : {}),
      ...(meta.correlationId ? { correlationId: meta.correlationId } : {}),
    };
    const base = { communityId: m.communityId, memberId: m.memberId, version };
    const event =
      before === null && m.tier !== null
        ? newEvent(membershipGrantedV1, { ...base, tier: m.tier, via: m.via }, eventMeta)
        : before !== null && m.tier !== null
          ? newEvent(
              membershipChangedV1,
              { ...base, tier: m.tier, previousTier: before, via: m.via },
              eventMeta,
            )
          : newEvent(membershipRevokedV1, { ...base, previousTier: before as TierRef, via: [] }, eventMeta);
    await appendToOutbox(client, event);
    changes.push({ communityId: m.communityId, memberId: m.memberId, tier: m.tier, version });
  }
  return changes;
}

/** After the commit: this process's view learns at once, other replicas from the events. */
export function publishMembershipChanges(deps: Deps, changes: readonly MembershipChange[]): void {
  for (const c of changes) deps.view.applyMembership(c.communityId, c.memberId, c.tier, c.version);
  if (changes.length > 0) deps.wakeRelay();
}
