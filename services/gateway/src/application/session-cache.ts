import { hash } from 'node:crypto';
import { createViewCache, type Placement } from './view-cache.ts';

/** What the gateway knows about a live session (identity's `resolveSession` answer). */
export interface ResolvedSession {
  id: string;
  memberId: string;
  /** ISO-8601: the session's absolute expiry. */
  expiresAt: string;
}

/** A session revocation, as `identity.session.revoked.v1` carries it. */
export interface SessionRevocation {
  memberId: string;
  sessionIds: readonly string[];
  /** Every session of the member (logout-all). */
  all: boolean;
}

export interface SessionCacheOptions {
  /** ≤ 5 s by contract (DESIGN.md §5.7); 0 turns caching off. */
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Answers of `resolveSession` kept for a few seconds, so a page of requests costs one RPC. Keys
 * are SHA-256 digests of the token ({@link sessionCacheKey}): raw tokens never sit in the heap.
 * A miss returns `undefined`; a token known to be invalid is cached as `null` (it can never
 * become valid). Revocations evict at once; a lookup that was in flight while a revocation
 * arrived is not cached (see {@link ViewCache}), so a stale answer cannot slip back in.
 */
export interface SessionCache {
  get(key: string): ResolvedSession | null | undefined;
  /** The cached answer or the one `resolve` gives; concurrent misses of one key share one call. */
  load(key: string, resolve: () => Promise<ResolvedSession | null>): Promise<ResolvedSession | null>;
  /** Take before asking identity; pass to `set`. A revocation in between makes the ticket stale. */
  ticket(): number;
  set(key: string, session: ResolvedSession | null, ticket: number): void;
  delete(key: string): void;
  revoke(revocation: SessionRevocation): void;
  /** Caching only while revocations are seen (the event feed is live); off clears everything. */
  setEnabled(enabled: boolean): void;
  clear(): void;
  readonly size: number;
}

export function sessionCacheKey(token: string): string {
  // One-shot `hash` (no Hash object): half the cost of createHash on every signed-in request.
  return hash('sha256', token, 'base64url');
}

/** A session's entry lives in its member's group and never outlives the session. */
function placementOf(session: ResolvedSession | null): Placement {
  return session
    ? { groups: [session.memberId], expiresAtMs: Date.parse(session.expiresAt) }
    : { groups: [] };
}

export function createSessionCache(options: SessionCacheOptions): SessionCache {
  const cache = createViewCache<ResolvedSession | null>(options);
  return {
    get: (key) => cache.get(key),
    load: (key, resolve) => cache.load(key, resolve, placementOf),
    ticket: () => cache.ticket(),
    set: (key, session, ticket) => cache.set(key, session, ticket, placementOf(session)),
    delete: (key) => cache.delete(key),
    revoke(revocation) {
      const ids = new Set(revocation.sessionIds);
      cache.forgetGroup(
        revocation.memberId,
        (session) => revocation.all || (session !== null && ids.has(session.id)),
      );
    },
    setEnabled: (enabled) => cache.setEnabled(enabled),
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}
