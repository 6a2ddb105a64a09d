import { describe, expect, it } from 'vitest';
import { createSessionCache, type ResolvedSession, sessionCacheKey } from './session-cache.ts';

const HOUR = 3_600_000;

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { t: Date.parse('2026-03-01T12:00:00Z') };
  const cache = createSessionCache({
    ttlMs: options.ttlMs ?? 5_000,
    maxEntries: options.maxEntries ?? 100,
    now: () => clock.t,
  });
  cache.setEnabled(true);
  const session = (id: string, memberId = 'm1', expiresInMs = HOUR): ResolvedSession => ({
    id,
    memberId,
    expiresAt: new Date(clock.t + expiresInMs).toISOString(),
  });
  return { clock, cache, session };
}

describe('session cache', () => {
  it('keys by a SHA-256 digest, never the token itself', () => {
    const key = sessionCacheKey('secret-token');
    expect(key).not.toContain('secret');
    expect(key).toHaveLength(43);
    expect(sessionCacheKey('secret-token')).toBe(key);
  });

  it('serves a hit until the TTL, then misses', () => {
    const { clock, cache, session } = setup();
    cache.set('k', session('s1'), cache.ticket());
    expect(cache.get('k')).toMatchObject({ id: 's1' });
    clock.t += 4_999;
    expect(cache.get('k')).toMatchObject({ id: 's1' });
    clock.t += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('never outlives the session itself', () => {
    const { clock, cache, session } = setup();
    cache.set('k', session('s1', 'm1', 1_000), cache.ticket());
    clock.t += 1_000;
    expect(cache.get('k')).toBeUndefined();
  });

  it('caches unknown tokens as null', () => {
    const { cache } = setup();
    cache.set('k', null, cache.ticket());
    expect(cache.get('k')).toBeNull();
  });

  it('drops one session on a logout and every session of the member on logout-all', () => {
    const { cache, session } = setup();
    cache.set('a', session('s1', 'm1'), cache.ticket());
    cache.set('b', session('s2', 'm1'), cache.ticket());
    cache.set('c', session('s3', 'm2'), cache.ticket());
    cache.revoke({ memberId: 'm1', sessionIds: ['s1'], all: false });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toMatchObject({ id: 's2' });
    cache.revoke({ memberId: 'm1', sessionIds: [], all: true });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toMatchObject({ id: 's3' });
  });

  it('does not cache an answer that was in flight when a revocation arrived', () => {
    const { cache, session } = setup();
    const ticket = cache.ticket();
    cache.revoke({ memberId: 'm1', sessionIds: ['s1'], all: false });
    cache.set('k', session('s1'), ticket);
    expect(cache.get('k')).toBeUndefined();
  });

  it('is bounded: the oldest entry goes first', () => {
    const { cache, session } = setup({ maxEntries: 2 });
    cache.set('a', session('s1'), cache.ticket());
    cache.set('b', session('s2'), cache.ticket());
    cache.set('c', session('s3'), cache.ticket());
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toMatchObject({ id: 's3' });
  });

  it('caches nothing while disabled (no live revocation feed) and forgets all when disabled', () => {
    const { cache, session } = setup();
    cache.set('a', session('s1'), cache.ticket());
    cache.setEnabled(false);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', session('s2'), cache.ticket());
    expect(cache.get('b')).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', () => {
    const { cache, session } = setup({ ttlMs: 0 });
    cache.set('a', session('s1'), cache.ticket());
    expect(cache.get('a')).toBeUndefined();
  });
});
