import { identityRpc, memberErasedV1, walletUnlinkedV1 } from '@coterie/contracts';
import { eventually } from '@coterie/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, type IdentityHarness, startIdentity } from './harness.ts';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h.close());

describe('erasing a member (DELETE /v1/me/data)', () => {
  it('pseudonymises once, revokes every session, publishes the erasure once, and frees the wallet', async () => {
    const wallet = account(17);
    const { member, token } = await h.signIn(wallet);
    await h.rpc.call(identityRpc.updateProfile, { memberId: member.id, displayName: 'Carol', bio: 'Hi' });
    const before = await h.rpc.call(identityRpc.exportMemberData, { memberId: member.id });
    expect(before).toMatchObject({
      member: { displayName: 'Carol', bio: 'Hi', erasedAt: null },
      wallets: [{ address: wallet.address }],
      sessions: [{ method: 'siwe', revokedAt: null }],
    });

    const { erasure } = await h.rpc.call(identityRpc.eraseMember, { memberId: member.id });
    expect(erasure).toMatchObject({ memberId: member.id, alreadyErased: false });
    expect(await h.rpc.call(identityRpc.resolveSession, { token })).toEqual({ session: null });
    const after = await h.rpc.call(identityRpc.exportMemberData, { memberId: member.id });
    expect(after).toMatchObject({
      member: { displayName: 'Deleted member', bio: null, avatarUrl: null, erasedAt: erasure.requestedAt },
      wallets: [],
      emails: [],
      sessions: [{ ip: null, userAgent: null }],
    });
    expect(after.sessions.every((s) => s.revokedAt !== null)).toBe(true);

    const jsm = await jetstreamManager(h.nc);
    const stream = `${h.namespace}_IDENTITY`;
    const last = (subject: string) =>
      jsm.streams.getMessage(stream, { last_by_subj: `${h.namespace}.${subject}` }).catch(() => null);
    const published = await eventually(async () => {
      const msg = await last(memberErasedV1.subject);
      expect(msg).toBeTruthy();
      return msg;
    });
    expect(memberErasedV1.parse(published?.json()).data).toEqual({
      memberId: member.id,
      requestedAt: erasure.requestedAt,
    });
    expect(walletUnlinkedV1.parse((await last(walletUnlinkedV1.subject))?.json()).data).toEqual({
      memberId: member.id,
      address: wallet.address,
    });

    // A repeat answers the first erasure and publishes nothing new.
    const again = await h.rpc.call(identityRpc.eraseMember, { memberId: member.id });
    expect(again.erasure).toEqual({ ...erasure, alreadyErased: true });
    await new Promise((r) => setTimeout(r, 300));
    expect((await last(memberErasedV1.subject))?.seq).toBe(published?.seq);

    // The wallet is free: signing in with it makes a new member.
    const fresh = await h.signIn(wallet);
    expect(fresh.member.id).not.toBe(member.id);
    expect(fresh.member.displayName).toBeNull();
    await expect(
      h.rpc.call(identityRpc.eraseMember, { memberId: crypto.randomUUID() }),
    ).rejects.toMatchObject({
      code: 'member_not_found',
      status: 404,
    });
  });
});
