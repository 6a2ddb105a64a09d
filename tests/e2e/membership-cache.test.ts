import { eventually } from '@coterie/testing';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';

/**
 * The gateway answers `GET …/membership` from memory. With a TTL far longer than the test, only
 * entitlements' events can make a change visible: a stale answer would outlive every `eventually` here (10 s).
 */
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ gatewayEnv: { MEMBERSHIP_CACHE_TTL_MS: '30000' } });
}, 60_000);
afterAll(() => platform?.stop());

interface View {
  tier: { name: string } | null;
  via: { type: string }[];
}

describe('the membership held in the gateway', () => {
  it('follows role changes, tier changes and refreshes at once, not after its TTL', async () => {
    const owner = platform.browser();
    const member = platform.browser();
    await signInWithWallet(owner, privateKeyToAccount(generatePrivateKey()));
    const { memberId } = await signInWithWallet(member, privateKeyToAccount(generatePrivateKey()));
    const slug = `mc-${Math.random().toString(36).slice(2, 9)}`;
    expect((await owner.post('/v1/communities', { slug, name: 'Cached' })).statusCode).toBe(201);
    const tier = await owner.post(`/v1/communities/${slug}/tiers`, {
      name: 'Crew',
      rank: 1,
      gate: { type: 'role', role: 'moderator' },
    });
    expect(tier.statusCode, tier.body).toBe(201);
    const read = async () => {
      const res = await member.get(`/v1/communities/${slug}/membership`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<View>();
    };
    // Read (and cached) without a tier…
    expect((await read()).tier).toBeNull();
    expect((await read()).tier).toBeNull();

    // …a role change grants it: entitlements' events reach the gateway and the next reads see it.
    const role = await owner.request({
      method: 'PUT',
      url: `/v1/communities/${slug}/roles/${memberId}`,
      body: { role: 'moderator' },
    });
    expect(role.statusCode, role.body).toBe(200);
    await eventually(async () => {
      expect((await read()).tier?.name).toBe('Crew');
      return true;
    });

    // A tier renamed: every cached view goes.
    const id = tier.json<{ tier: { id: string } }>().tier.id;
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/v1/communities/${slug}/tiers/${id}`,
      body: { name: 'Core crew' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await eventually(async () => {
      expect((await read()).tier?.name).toBe('Core crew');
      return true;
    });

    // Demoted: revoked, and the gateway forgets it too.
    await owner.request({
      method: 'PUT',
      url: `/v1/communities/${slug}/roles/${memberId}`,
      body: { role: 'member' },
    });
    await eventually(async () => {
      expect((await read()).tier).toBeNull();
      return true;
    });
  });
});
