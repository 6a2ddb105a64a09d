import {
  communityCreatedV1,
  type MembershipView,
  membershipChangedV1,
  membershipGrantedV1,
  membershipRevokedV1,
  roleChangedV1,
  stripeEventReceived,
  subscriptionChangedV1,
} from '@coterie/contracts';
import { createViewCache } from './view-cache.ts';

export interface MembershipCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * The caller's membership (`getMembership`) held in the gateway, so the hot gated read costs
 * no round trip: forgotten per member when entitlements says their membership, role or
 * subscription changed, and wholesale when a tier changes (anyone's tier may follow). Answers
 * that change without an event (`checkedAt` after a silent re-verification) are at most the
 * TTL old.
 */
export interface MembershipCache {
  get(slug: string, memberId: string, load: () => Promise<MembershipView>): Promise<MembershipView>;
  /** The held answer, or `undefined`: lets the hot read answer without waiting on a promise. */
  peek(slug: string, memberId: string): MembershipView | undefined;
  /** After a refresh: the next read asks entitlements. */
  forget(memberId: string): void;
  /** An event from the ENTITLEMENTS stream (logical subject, raw envelope). Throws when unreadable. */
  onEvent(subject: string, payload: unknown): void;
  setEnabled(live: boolean): void;
  readonly size: number;
}

// Events about one member: their entries go.
const MEMBER_EVENTS = [
  membershipGrantedV1,
  membershipChangedV1,
  membershipRevokedV1,
  roleChangedV1,
  subscriptionChangedV1,
] as const;
const memberEvents = new Map<string, (typeof MEMBER_EVENTS)[number]>(
  MEMBER_EVENTS.map((e) => [e.subject, e]),
);
// Events that change no one's membership by themselves (a stored Stripe webhook is followed by
// the subscription and membership events it causes).
const HARMLESS = new Set([communityCreatedV1.subject, stripeEventReceived('entitlements').subject]);

const memberGroup = (memberId: string) => `member:${memberId}`;
const keyOf = (slug: string, memberId: string) => `${slug}\u0000${memberId}`;

export function createMembershipCache(options: MembershipCacheOptions): MembershipCache {
  const cache = createViewCache<MembershipView>(options);
  return {
    get: (slug, memberId, load) =>
      cache.load(keyOf(slug, memberId), load, () => ({ groups: [memberGroup(memberId)] })),
    peek: (slug, memberId) => cache.get(keyOf(slug, memberId)),
    forget: (memberId) => cache.forgetGroup(memberGroup(memberId)),
    onEvent(subject, payload) {
      const definition = memberEvents.get(subject);
      if (definition) {
        cache.forgetGroup(memberGroup(definition.parse(payload).data.memberId));
        return;
      }
      // Tiers created or changed, and any event this gateway does not know yet: forget all.
      if (!HARMLESS.has(subject)) cache.clear();
    },
    setEnabled: (live) => cache.setEnabled(live),
    get size() {
      return cache.size;
    },
  };
}
