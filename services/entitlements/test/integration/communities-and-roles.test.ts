import { entitlementsRpc } from '@coterie/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EntitlementsFixture,
  entitlementsFixture,
  newMemberId,
} from '../factories/entitlements-fixture.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const erc20Gate = (chainId = 31337) => ({ type: 'erc20' as const, chainId, token: TOKEN, min: '1' });

describe('communities, roles and tiers', () => {
  let f: EntitlementsFixture;
  beforeAll(async () => {
    f = await entitlementsFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('creates a community whose creator is its owner, and publishes it', async () => {
    const owner = newMemberId();
    const { community } = await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'night-owls',
      name: 'Night Owls',
      description: 'After hours',
      treasury: { chainId: 31337, address: TOKEN.toLowerCase() },
    });
    expect(community).toMatchObject({
      slug: 'night-owls',
      name: 'Night Owls',
      treasury: { chainId: 31337, address: TOKEN },
    });
    const check = await f.rpc.call(entitlementsRpc.check, { memberId: owner, communityId: community.id });
    expect(check).toEqual({ allowed: true, tier: null, role: 'owner' });
    const got = await f.rpc.call(entitlementsRpc.getCommunity, { slug: 'night-owls' });
    expect(got.community).toEqual(community);

    const events = await waitForEvents(f, (types) => types.includes('entitlements.community.created'));
    const created = events.find((e) => e.type === 'entitlements.community.created');
    expect(created?.data).toEqual({
      communityId: community.id,
      slug: 'night-owls',
      name: 'Night Owls',
      ownerId: owner,
    });
    const role = events.find((e) => e.type === 'entitlements.role.changed');
    expect(role?.data).toMatchObject({ memberId: owner, role: 'owner', previousRole: null });
  });

  it('refuses a taken slug with 409 slug_taken, and a malformed one with 400', async () => {
    const input = { actorId: newMemberId(), slug: 'taken-slug', name: 'One', description: '' };
    await f.rpc.call(entitlementsRpc.createCommunity, input);
    expect(
      await errorOf(f.rpc.call(entitlementsRpc.createCommunity, { ...input, actorId: newMemberId() })),
    ).toMatchObject({
      code: 'slug_taken',
      status: 409,
    });
    expect(
      await errorOf(f.rpc.call(entitlementsRpc.createCommunity, { ...input, slug: '-bad-' })),
    ).toMatchObject({
      status: 400,
    });
  });

  it('answers 404 community_not_found for a missing community', async () => {
    expect(await errorOf(f.rpc.call(entitlementsRpc.getCommunity, { slug: 'nowhere' }))).toMatchObject({
      code: 'community_not_found',
      status: 404,
    });
    expect(
      await errorOf(
        f.rpc.call(entitlementsRpc.check, { memberId: newMemberId(), communityId: newMemberId() }),
      ),
    ).toMatchObject({ code: 'community_not_found', status: 404 });
  });

  it('validates gates on write: an unknown chain is a 400 naming the chain', async () => {
    const owner = newMemberId();
    await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'gated',
      name: 'Gated',
      description: '',
    });
    const error = await errorOf(
      f.rpc.call(entitlementsRpc.createTier, {
        actorId: owner,
        slug: 'gated',
        tier: { name: 'Elsewhere', rank: 1, gate: { any: [{ type: 'subscription' }, erc20Gate(424242)] } },
      }),
    );
    expect(error).toMatchObject({ code: 'unknown_chain', status: 400 });
    expect((error as Error).message).toContain('424242');

    const malformed = await errorOf(
      f.rpc.call(entitlementsRpc.createTier, {
        actorId: owner,
        slug: 'gated',
        tier: { name: 'Float', rank: 1, gate: { ...erc20Gate(), min: '1.5' } },
      }),
    );
    expect(malformed).toMatchObject({ status: 400 });

    const { tier } = await f.rpc.call(entitlementsRpc.createTier, {
      actorId: owner,
      slug: 'gated',
      tier: {
        name: 'Holders',
        rank: 1,
        perks: [{ label: 'Discord', url: 'https://discord.example/invite' }],
        price: { value: '1500', currency: 'usd', interval: 'month' },
        gate: erc20Gate(),
      },
    });
    expect(tier).toMatchObject({
      name: 'Holders',
      rank: 1,
      price: { value: '1500', currency: 'usd', interval: 'month' },
    });
    expect(
      await errorOf(
        f.rpc.call(entitlementsRpc.createTier, {
          actorId: owner,
          slug: 'gated',
          tier: { name: 'Same rank', rank: 1, gate: erc20Gate() },
        }),
      ),
    ).toMatchObject({ code: 'tier_rank_taken', status: 409 });

    // Perk URLs are for members of the tier (and the community's managers) only.
    const anonymous = await f.rpc.call(entitlementsRpc.listTiers, { slug: 'gated' });
    expect(anonymous.items[0]?.perks).toEqual([{ label: 'Discord' }]);
    const asOwner = await f.rpc.call(entitlementsRpc.listTiers, { slug: 'gated', viewerId: owner });
    expect(asOwner.items[0]?.perks).toEqual([{ label: 'Discord', url: 'https://discord.example/invite' }]);
    const stranger = await f.rpc.call(entitlementsRpc.listTiers, { slug: 'gated', viewerId: newMemberId() });
    expect(stranger.items[0]?.perks).toEqual([{ label: 'Discord' }]);
  });

  it('an admin of community A gets 403 on every admin endpoint of B', async () => {
    const ownerA = newMemberId();
    const ownerB = newMemberId();
    const adminA = newMemberId();
    await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: ownerA,
      slug: 'club-a',
      name: 'A',
      description: '',
    });
    await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: ownerB,
      slug: 'club-b',
      name: 'B',
      description: '',
    });
    await f.rpc.call(entitlementsRpc.setRole, {
      actorId: ownerA,
      slug: 'club-a',
      memberId: adminA,
      role: 'admin',
    });

    // A's admin manages A…
    await f.rpc.call(entitlementsRpc.updateCommunity, {
      actorId: adminA,
      slug: 'club-a',
      patch: { name: 'A!' },
    });
    await f.rpc.call(entitlementsRpc.listMembers, { actorId: adminA, slug: 'club-a' });
    // …and nothing of B. (Each promise is observed at once: an unobserved rejection fails the run.)
    const attempts = [
      f.rpc.call(entitlementsRpc.updateCommunity, {
        actorId: adminA,
        slug: 'club-b',
        patch: { name: 'Mine' },
      }),
      f.rpc.call(entitlementsRpc.setRole, {
        actorId: adminA,
        slug: 'club-b',
        memberId: adminA,
        role: 'admin',
      }),
      f.rpc.call(entitlementsRpc.createTier, {
        actorId: adminA,
        slug: 'club-b',
        tier: { name: 'Sneaky', rank: 5, gate: { type: 'allowlist', emails: ['me@example.com'] } },
      }),
      f.rpc.call(entitlementsRpc.listMembers, { actorId: adminA, slug: 'club-b' }),
    ].map(errorOf);
    for (const error of await Promise.all(attempts))
      expect(error).toMatchObject({ code: 'forbidden', status: 403 });
    expect((await f.rpc.call(entitlementsRpc.getCommunity, { slug: 'club-b' })).community.name).toBe('B');
    expect((await f.rpc.call(entitlementsRpc.listTiers, { slug: 'club-b' })).items).toEqual([]);
    const check = await f.rpc.call(entitlementsRpc.check, {
      memberId: adminA,
      communityId: (await f.rpc.call(entitlementsRpc.getCommunity, { slug: 'club-b' })).community.id,
    });
    expect(check).toEqual({ allowed: false, tier: null, role: null });
  });

  it('role rules: the owner is never demoted; only the owner grants or changes admin', async () => {
    const owner = newMemberId();
    const admin = newMemberId();
    const mod = newMemberId();
    await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'roles',
      name: 'Roles',
      description: '',
    });
    await f.rpc.call(entitlementsRpc.setRole, {
      actorId: owner,
      slug: 'roles',
      memberId: admin,
      role: 'admin',
    });
    expect(
      await errorOf(
        f.rpc.call(entitlementsRpc.setRole, {
          actorId: admin,
          slug: 'roles',
          memberId: owner,
          role: 'member',
        }),
      ),
    ).toMatchObject({ code: 'owner_role_immutable', status: 409 });
    expect(
      await errorOf(
        f.rpc.call(entitlementsRpc.setRole, { actorId: admin, slug: 'roles', memberId: mod, role: 'admin' }),
      ),
    ).toMatchObject({ code: 'forbidden' });
    await f.rpc.call(entitlementsRpc.setRole, {
      actorId: admin,
      slug: 'roles',
      memberId: mod,
      role: 'moderator',
    });
    // A moderator may list members but not manage.
    const members = await f.rpc.call(entitlementsRpc.listMembers, { actorId: mod, slug: 'roles', limit: 2 });
    expect(members.items).toHaveLength(2);
    expect(members.nextCursor).not.toBeNull();
    const rest = await f.rpc.call(entitlementsRpc.listMembers, {
      actorId: mod,
      slug: 'roles',
      limit: 2,
      cursor: members.nextCursor as string,
    });
    expect(rest.nextCursor).toBeNull();
    expect([...members.items, ...rest.items].map((m) => m.role).sort()).toEqual([
      'admin',
      'moderator',
      'owner',
    ]);
    expect(
      await errorOf(
        f.rpc.call(entitlementsRpc.setRole, { actorId: mod, slug: 'roles', memberId: mod, role: 'member' }),
      ),
    ).toMatchObject({ code: 'forbidden' });
    const events = await waitForEvents(
      f,
      (types) => types.filter((t) => t === 'entitlements.role.changed').length >= 3,
    );
    expect(
      events.some(
        (e) => e.type === 'entitlements.role.changed' && (e.data as { role: string }).role === 'moderator',
      ),
    ).toBe(true);
  });

  it('lists communities page by page', async () => {
    const first = await f.rpc.call(entitlementsRpc.listCommunities, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const all = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await f.rpc.call(entitlementsRpc.listCommunities, { limit: 2, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(new Set(all.map((c) => c.slug)).size).toBe(all.length);
    expect(all.map((c) => c.slug)).toContain('night-owls');
  });
});

async function waitForEvents(f: EntitlementsFixture, until: (types: string[]) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await f.events();
    if (until(events.map((e) => e.type)) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
}
