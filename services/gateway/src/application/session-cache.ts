import { createHash } from 'node:crypto';

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
 * arrived is not cached (see {@link SessionCache.ticket}), so a stale answer cannot slip back in.
 */
export interface SessionCache {
  get(key: string): ResolvedSession | null | undefined;
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
  return createHash('sha256').update(token).digest('base64url');
}

interface Entry {
  session: ResolvedSession | null;
  expiresAtMs: number;
}

export function createSessionCache(options: SessionCacheOptions): SessionCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  // memberId → keys: a revocation touches only that member's entries, even when a restarted
  // feed replays old revocations.
  const byMember = new Map<string, Set<string>>();
  let epoch = 0;
  // Off until the revocation feed says it is live: an unseen revocation must not be served.
  let enabled = false;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    const memberId = entry.session?.memberId;
    if (memberId === undefined) return;
    const keys = byMember.get(memberId);
    keys?.delete(key);
    if (keys?.size === 0) byMember.delete(memberId);
  }

  function clear(): void {
    epoch += 1;
    entries.clear();
    byMember.clear();
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= now()) {
        remove(key);
        return undefined;
      }
      return entry.session;
    },
    ticket: () => epoch,
    set(key, session, ticket) {
      if (!enabled || ticket !== epoch) return;
      const at = now();
      const sessionEnd = session ? Date.parse(session.expiresAt) : Number.POSITIVE_INFINITY;
      const expiresAtMs = Math.min(at + options.ttlMs, sessionEnd);
      if (!(expiresAtMs > at)) return;
      remove(key);
      // Bounded: the oldest insertion goes first (Map iterates in insertion order).
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, { session, expiresAtMs });
      if (session) {
        let keys = byMember.get(session.memberId);
        if (!keys) {
          keys = new Set();
          byMember.set(session.memberId, keys);
        }
        keys.add(key);
      }
    },
    delete(key) {
      epoch += 1;
      remove(key);
    },
    revoke(revocation) {
      epoch += 1;
      const keys = byMember.get(revocation.memberId);
      if (!keys) return;
      const ids = new Set(revocation.sessionIds);
      for (const key of [...keys]) {
        const session = entries.get(key)?.session;
        if (revocation.all || (session && ids.has(session.id))) remove(key);
      }
    },
    setEnabled(value) {
      enabled = value && options.ttlMs > 0;
      if (!enabled) clear();
    },
    clear,
    get size() {
      return entries.size;
    },
  };
}
