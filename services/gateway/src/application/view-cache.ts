export interface ViewCacheOptions {
  /** How long an answer may be served; 0 turns caching off. */
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export interface Placement {
  /** Groups the entry belongs to, so one event can forget all of them (e.g. a member's). */
  groups: readonly string[];
  /** Forget it sooner than the TTL (e.g. when a session ends). */
  expiresAtMs?: number;
}

/**
 * Answers of another service kept for a few seconds in the gateway, forgotten at once when an
 * event says they changed. Loads that were in flight when something was forgotten are not
 * cached (their answer may predate the change): every forget bumps an epoch, and a load only
 * stores its answer under the epoch it started in. Concurrent misses of one key share one load.
 * Caching is off until the event feed that keeps it honest is live.
 */
export interface ViewCache<V> {
  /** A cached answer, or `undefined`. */
  get(key: string): V | undefined;
  /** The cached answer, or the one `load` gives (stored when nothing was forgotten meanwhile). */
  load(key: string, load: () => Promise<V>, placement: (value: V) => Placement): Promise<V>;
  /** Take before loading; pass to `set`. A forget in between makes the ticket stale. */
  ticket(): number;
  set(key: string, value: V, ticket: number, placement: Placement): void;
  delete(key: string): void;
  /** Forgets the group's entries (those `which` picks, default all). */
  forgetGroup(group: string, which?: (value: V) => boolean): void;
  /** Caching only while the invalidating events are seen; off also clears. */
  setEnabled(enabled: boolean): void;
  clear(): void;
  readonly size: number;
}

interface Entry<V> {
  value: V;
  expiresAtMs: number;
  groups: readonly string[];
}

export function createViewCache<V>(options: ViewCacheOptions): ViewCache<V> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<V>>();
  const byGroup = new Map<string, Set<string>>();
  const loads = new Map<string, { ticket: number; load: Promise<V> }>();
  let epoch = 0;
  let enabled = false;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const group of entry.groups) {
      const keys = byGroup.get(group);
      keys?.delete(key);
      if (keys?.size === 0) byGroup.delete(group);
    }
  }

  function clear(): void {
    epoch += 1;
    entries.clear();
    byGroup.clear();
  }

  const cache: ViewCache<V> = {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= now()) {
        remove(key);
        return undefined;
      }
      return entry.value;
    },
    async load(key, load, placement) {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const ticket = epoch;
      const pending = loads.get(key);
      if (pending && pending.ticket === ticket) return pending.load;
      const entry = {
        ticket,
        load: load().then((value) => {
          cache.set(key, value, ticket, placement(value));
          return value;
        }),
      };
      loads.set(key, entry);
      try {
        return await entry.load;
      } finally {
        if (loads.get(key) === entry) loads.delete(key);
      }
    },
    ticket: () => epoch,
    set(key, value, ticket, placement) {
      if (!enabled || ticket !== epoch) return;
      const at = now();
      const expiresAtMs = Math.min(at + options.ttlMs, placement.expiresAtMs ?? Number.POSITIVE_INFINITY);
      if (!(expiresAtMs > at)) return;
      remove(key);
      // Bounded: the oldest insertion goes first (Map iterates in insertion order).
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, { value, expiresAtMs, groups: placement.groups });
      for (const group of placement.groups) {
        let keys = byGroup.get(group);
        if (!keys) {
          keys = new Set();
          byGroup.set(group, keys);
        }
        keys.add(key);
      }
    },
    delete(key) {
      epoch += 1;
      remove(key);
    },
    forgetGroup(group, which) {
      epoch += 1;
      const keys = byGroup.get(group);
      if (!keys) return;
      for (const key of [...keys]) {
        const entry = entries.get(key);
        if (entry && (!which || which(entry.value))) remove(key);
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
  return cache;
}
