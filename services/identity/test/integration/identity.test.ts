import { identityRpc, sessionRevokedV1 } from '@coterie/contracts';
import { createPool, schemaNameFor } from '@coterie/db';
import { eventually } from '@coterie/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, type IdentityHarness, startIdentity } from './harness.ts';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h.close());

const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1] ?? '';

describe('identity over NATS', () => {
  it('signs in with a wallet, creating the member once, and refuses a replay', async () => {
    const wallet = account(5);
    const { nonce } = await h.rpc.call(identityRpc.siweNonce, {});
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const message = h.siweMessage(wallet, nonce);
    const signature = await wallet.signMessage({ message });
    const first = await h.rpc.call(identityRpc.siweVerify, { message, signature, client: {} });
    expect(first.created).toBe(true);
    expect(first.member.wallets).toEqual([wallet.address]);
    await expect(
      h.rpc.call(identityRpc.siweVerify, { message, signature, client: {} }),
    ).rejects.toMatchObject({
      code: 'siwe_nonce_invalid',
      status: 401,
    });
    const again = await h.signIn(wallet);
    expect(again.member.id).toBe(first.member.id);
    expect(again.token).not.toBe(first.session.token);
  });

  it('does not burn a good nonce on a bad request', async () => {
    const wallet = account(6);
    const { nonce } = await h.rpc.call(identityRpc.siweNonce, {});
    const message = h.siweMessage(wallet, nonce);
    const wrongSignature = await account(7).signMessage({ message });
    await expect(
      h.rpc.call(identityRpc.siweVerify, { message, signature: wrongSignature, client: {} }),
    ).rejects.toMatchObject({ code: 'siwe_signature_invalid' });
    const signature = await wallet.signMessage({ message });
    await expect(
      h.rpc.call(identityRpc.siweVerify, { message, signature, client: {} }),
    ).resolves.toMatchObject({
      member: { wallets: [wallet.address] },
    });
  });

  it('resolves a session until logout, and publishes the revocation', async () => {
    const { member, token } = await h.signIn(account(8));
    const resolved = await h.rpc.call(identityRpc.resolveSession, { token });
    expect(resolved.session?.memberId).toBe(member.id);
    expect(await h.rpc.call(identityRpc.logout, { token })).toEqual({ revoked: 1 });
    expect(await h.rpc.call(identityRpc.resolveSession, { token })).toEqual({ session: null });
    const jsm = await jetstreamManager(h.nc);
    const stream = `${h.namespace}_IDENTITY`;
    // The outbox relay publishes after the commit: the event may land a moment after the reply.
    const last = await eventually(() =>
      jsm.streams.getMessage(stream, { last_by_subj: `${h.namespace}.${sessionRevokedV1.subject}` }),
    );
    expect(sessionRevokedV1.parse(last?.json()).data).toMatchObject({ memberId: member.id, all: false });
  });

  it('logout-all revokes every session of the member', async () => {
    const wallet = account(9);
    const a = await h.signIn(wallet);
    const b = await h.signIn(wallet);
    expect(await h.rpc.call(identityRpc.logoutAll, { memberId: a.member.id })).toEqual({ revoked: 2 });
    for (const token of [a.token, b.token]) {
      expect(await h.rpc.call(identityRpc.resolveSession, { token })).toEqual({ session: null });
    }
  });

  it('signs in by email code once; stores only hashes; locks after five wrong codes', async () => {
    const email = 'Ada@Example.org';
    await h.rpc.call(identityRpc.emailStart, { email, client: { ip: '10.0.0.1' } });
    const mail = await h.inbox.waitFor('ada@example.org');
    const code = codeIn(mail.text);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toContain('/v1/auth/email/callback?token=');
    const signedIn = await h.rpc.call(identityRpc.emailVerify, { email, code, client: {} });
    expect(signedIn.member.emails).toEqual(['ada@example.org']);
    await expect(h.rpc.call(identityRpc.emailVerify, { email, code, client: {} })).rejects.toMatchObject({
      code: 'email_code_invalid',
      status: 401,
    });

    const pool = createPool({
      connectionString: h.config.DATABASE_URL,
      schema: schemaNameFor('identity', h.namespace),
    });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM email_challenges WHERE encode(code_hash, 'escape') LIKE '%' || $1 || '%'`,
      [code],
    );
    expect(rows[0].n).toBe(0);
    await pool.end();

    const before = h.inbox.mails.length;
    await h.rpc.call(identityRpc.emailStart, { email, client: {} });
    const fresh = codeIn((await h.inbox.waitFor('ada@example.org', 10_000, before)).text);
    const wrong = fresh === '000000' ? '000001' : '000000';
    for (let i = 1; i <= 4; i++) {
      await expect(
        h.rpc.call(identityRpc.emailVerify, { email, code: wrong, client: {} }),
      ).rejects.toMatchObject({
        code: 'email_code_invalid',
      });
    }
    await expect(
      h.rpc.call(identityRpc.emailVerify, { email, code: wrong, client: {} }),
    ).rejects.toMatchObject({
      status: 429,
    });
    await expect(
      h.rpc.call(identityRpc.emailVerify, { email, code: fresh, client: {} }),
    ).rejects.toMatchObject({
      status: 429,
    });
  });

  it('expires codes after their TTL', async () => {
    const email = 'late@example.org';
    await h.rpc.call(identityRpc.emailStart, { email, client: {} });
    const code = codeIn((await h.inbox.waitFor(email)).text);
    h.clock.offsetMs = h.config.EMAIL_CODE_TTL_MS + 1_000;
    try {
      await expect(h.rpc.call(identityRpc.emailVerify, { email, code, client: {} })).rejects.toMatchObject({
        code: 'email_code_invalid',
      });
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('links a wallet and an email to one member; a wallet of another member is refused', async () => {
    const me = await h.signIn(account(10));
    const other = await h.signIn(account(11));
    const { nonce } = await h.rpc.call(identityRpc.siweNonce, {});
    const message = h.siweMessage(account(12), nonce);
    const linked = await h.rpc.call(identityRpc.linkWallet, {
      memberId: me.member.id,
      message,
      signature: await account(12).signMessage({ message }),
    });
    expect(linked.member.wallets).toEqual([account(10).address, account(12).address]);

    await h.rpc.call(identityRpc.linkEmailStart, {
      memberId: me.member.id,
      email: 'me@example.org',
      client: {},
    });
    const code = codeIn((await h.inbox.waitFor('me@example.org')).text);
    const withEmail = await h.rpc.call(identityRpc.linkEmailVerify, {
      memberId: me.member.id,
      email: 'me@example.org',
      code,
    });
    expect(withEmail.member.emails).toEqual(['me@example.org']);
    const byEmail = await h.rpc.call(identityRpc.emailStart, { email: 'me@example.org', client: {} });
    expect(byEmail).toEqual({ accepted: true });

    const n2 = (await h.rpc.call(identityRpc.siweNonce, {})).nonce;
    const stolen = h.siweMessage(account(11), n2);
    await expect(
      h.rpc.call(identityRpc.linkWallet, {
        memberId: me.member.id,
        message: stolen,
        signature: await account(11).signMessage({ message: stolen }),
      }),
    ).rejects.toMatchObject({ code: 'wallet_taken', status: 409 });
    expect(
      (await h.rpc.call(identityRpc.memberByAddress, { address: account(11).address.toLowerCase() }))
        .memberId,
    ).toBe(other.member.id);
  });

  it('rate-limits sign-in mails per address', async () => {
    const email = 'spam@example.org';
    for (let i = 0; i < h.config.EMAIL_START_PER_EMAIL_PER_HOUR; i++) {
      await h.rpc.call(identityRpc.emailStart, { email, client: {} });
    }
    await expect(h.rpc.call(identityRpc.emailStart, { email, client: {} })).rejects.toMatchObject({
      code: 'rate_limited',
      status: 429,
    });
  });
});
