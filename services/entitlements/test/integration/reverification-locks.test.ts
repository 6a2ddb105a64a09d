import { randomUUID } from 'node:crypto';
import { withTransaction } from '@coterie/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lockMembership,
  markCommunityDue,
  saveMembership,
} from '../../src/adapters/postgres/memberships-repository.ts';
import { type EntitlementsFixture, entitlementsFixture } from '../factories/entitlements-fixture.ts';

let f: EntitlementsFixture;

beforeAll(async () => {
  f = await entitlementsFixture({ LOG_LEVEL: 'error' });
});
afterAll(() => f?.close());

describe('membership row locks', () => {
  it('marking a community due never deadlocks with re-verification batches of the same community', async () => {
    const { pool } = f.runtime;
    const communityId = randomUUID();
    await pool.query("INSERT INTO communities (id, slug, name, created_by) VALUES ($1, $2, 'Locks', $3)", [
      communityId,
      `locks-${communityId.slice(0, 8)}`,
      randomUUID(),
    ]);
    // Inserted in random order: their physical order is not their member order.
    const members = Array.from({ length: 40 }, () => randomUUID());
    for (const memberId of members) {
      await pool.query(
        `INSERT INTO memberships (community_id, member_id, checked_at, valid_until)
         VALUES ($1, $2, now(), now() + interval '1 hour')`,
        [communityId, memberId],
      );
    }
    const sorted = [...members].sort();
    // A batch locks its rows one by one in member order (as applyMemberships does), slowly.
    const batch = () =>
      withTransaction(pool, async (client) => {
        for (const memberId of sorted) await lockMembership(client, communityId, memberId);
      });
    // Each mark moves every row further back, so every one of them has rows to lock.
    let marks = 0;
    const mark = () => {
      marks += 1;
      return markCommunityDue(pool, communityId, new Date(Date.now() - marks * 60_000));
    };
    const failures: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? batch() : mark())),
      );
      for (const r of results) if (r.status === 'rejected') failures.push(String(r.reason));
    }
    expect(failures).toEqual([]);
  });

  it('an evaluation that waited for the lock sees the tier the other one just granted', async () => {
    const { pool } = f.runtime;
    const communityId = randomUUID();
    const tierId = randomUUID();
    const memberId = randomUUID();
    await pool.query("INSERT INTO communities (id, slug, name, created_by) VALUES ($1, $2, 'Race', $3)", [
      communityId,
      `race-${communityId.slice(0, 8)}`,
      randomUUID(),
    ]);
    await pool.query(
      `INSERT INTO tiers (id, community_id, name, rank, gate) VALUES ($1, $2, 'Supporter', 5, '{"type":"subscription"}')`,
      [tierId, communityId],
    );
    // The member's row exists, holding no tier (as after an earlier evaluation or a due mark).
    await pool.query('INSERT INTO memberships (community_id, member_id) VALUES ($1, $2)', [
      communityId,
      memberId,
    ]);
    // Two replicas evaluate the member at once: the first grants while the second waits.
    const first = await pool.connect();
    try {
      await first.query('BEGIN');
      const fresh = await lockMembership(first, communityId, memberId);
      expect(fresh).toMatchObject({ tier: null, version: 0 });
      // The second reaches the lock and waits on it before the first writes its grant.
      const second = withTransaction(pool, (client) => lockMembership(client, communityId, memberId));
      await new Promise((r) => setTimeout(r, 300));
      const now = new Date();
      await saveMembership(first, {
        communityId,
        memberId,
        tierId,
        via: [{ type: 'subscription', tierId }],
        since: now,
        checkedAt: now,
        validUntil: new Date(now.getTime() + 3_600_000),
        version: 1,
      });
      await first.query('COMMIT');
      expect(await second).toMatchObject({
        tier: { id: tierId, name: 'Supporter', rank: 5 },
        version: 1,
      });
    } finally {
      first.release();
    }
  });
});
