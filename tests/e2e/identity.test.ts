import { readFileSync } from 'node:fs';
import { smartWalletAbi, smartWalletBytecode } from '@coterie/contracts-abi';
import { devAccount, devChainDefinition, devTransport, rpcRequest } from '@coterie/contracts-abi/dev-chain';
import type { App } from '@coterie/gateway';
import { connectNats, type NatsConnection } from '@coterie/messaging';
import { eventually, testInfra } from '@coterie/testing';
import pg from 'pg';
import {
  type Address,
  createWalletClient,
  getAddress,
  type Hex,
  type LocalAccount,
  numberToHex,
  parseSignature,
  publicActions,
  serializeCompactSignature,
  signatureToCompactSignature,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type HttpResponse, setCookies } from '../support/browser.ts';
import { APP_ORIGIN, type Platform, startPlatform } from '../support/platform.ts';
import { expectProblem } from '../support/problem.ts';
import { nonceFrom, resolveSessionSubject, signInWithWallet, siweMessage } from '../support/siwe.ts';

const SIWE_VECTORS = new URL('../../services/identity/test/data/siwe/', import.meta.url);
const HTTPS_ORIGIN = 'https://localhost:3000';
const THIRTY_DAYS_S = 30 * 24 * 3600;

let platform: Platform;
/** A second gateway replica: https app origin, low rate limits. */
let replica: App;
let nc: NatsConnection;

beforeAll(async () => {
  platform = await startPlatform({
    // The per-IP limits get their own test on the replica; here every request comes from 127.0.0.1.
    gatewayEnv: { AUTH_RATE_LIMIT_PER_MINUTE: '100000', AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: '100000' },
    identityEnv: { EMAIL_START_PER_IP_PER_HOUR: '1000' },
  });
  replica = await platform.startGateway({
    APP_ORIGIN: HTTPS_ORIGIN,
    AUTH_RATE_LIMIT_PER_MINUTE: '3',
    AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: '2',
  });
  nc = await connectNats({ url: testInfra().natsUrl, name: 'e2e-identity-observer' });
});

afterAll(async () => {
  await nc?.close();
  await platform?.stop();
});

const browser = (options?: Parameters<Platform['browser']>[0]) => platform.browser(options);
// Each with its own client IP, so the replica's low per-IP limits only bite in the rate-limit tests.
let replicaClients = 0;
const replicaBrowser = () =>
  platform.browser({ app: replica, origin: HTTPS_ORIGIN, remoteAddress: `198.51.100.${++replicaClients}` });
const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1] ?? '';
const linkIn = (text: string) => /(http\S+\/v1\/auth\/email\/callback\?token=\S+)/.exec(text)?.[1] ?? '';

function sessionCookieLine(res: HttpResponse): string {
  const line = setCookies(res).find((l) => l.startsWith('coterie_session='));
  if (!line) throw new Error(`no coterie_session cookie set (status ${res.statusCode})`);
  return line;
}

async function verify(b: Browser, message: string, signature: Hex) {
  return b.post('/v1/auth/siwe/verify', { message, signature });
}

async function mailedCode(email: string, after: number): Promise<string> {
  const code = codeIn((await platform.inbox.waitFor(email, 10_000, after)).text);
  expect(code).toMatch(/^\d{6}$/);
  return code;
}

async function startEmail(b: Browser, email: string): Promise<string> {
  const before = platform.inbox.mails.length;
  const res = await b.post('/v1/auth/email/start', { email });
  expect(res.statusCode).toBe(202);
  return mailedCode(email, before);
}

describe('wallet sign-in (SIWE) through the gateway', () => {
  it('nonce → message → personal_sign → verify → cookie → GET /v1/me', async () => {
    const b = browser();
    const wallet = devAccount(2);
    expectProblem(await b.get('/v1/me'), 401, 'unauthenticated');

    const nonceRes = await b.post('/v1/auth/siwe/nonce');
    expect(nonceRes.statusCode).toBe(200);
    const { nonce, expiresAt } = nonceRes.json<{ nonce: string; expiresAt: string }>();
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    const message = siweMessage(wallet.address, nonce);
    const signed = await verify(b, message, await wallet.signMessage({ message }));
    expect(signed.statusCode).toBe(200);
    expect(signed.headers['cache-control']).toBe('no-store');
    const { member } = signed.json<{ member: Record<string, unknown> }>();
    expect(member).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: null,
      bio: null,
      avatarUrl: null,
      wallets: [wallet.address],
      emails: [],
    });
    expect(b.session).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await b.get('/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ member, memberships: [] });
  });

  it('sets coterie_session HttpOnly, SameSite=Lax, Path=/, until the absolute expiry, not Secure over http', async () => {
    const b = browser();
    const message = siweMessage(devAccount(2).address, await nonceFrom(b));
    const res = await verify(b, message, await devAccount(2).signMessage({ message }));
    const attributes = sessionCookieLine(res)
      .split(';')
      .slice(1)
      .map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/']));
    expect(attributes.some((a) => /^secure$/i.test(a))).toBe(false);
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice('Max-Age='.length));
    expect(maxAge).toBeGreaterThan(THIRTY_DAYS_S - 10);
    expect(maxAge).toBeLessThanOrEqual(THIRTY_DAYS_S);
  });

  it('sets the cookie Secure when the app origin is https', async () => {
    const b = replicaBrowser();
    // identity checks the message against its own origin (http in this test platform).
    const message = siweMessage(devAccount(2).address, await nonceFrom(b));
    const res = await verify(b, message, await devAccount(2).signMessage({ message }));
    expect(res.statusCode).toBe(200);
    expect(sessionCookieLine(res)).toMatch(/; Secure/i);
  });

  it('refuses a replayed message (siwe_nonce_invalid) without setting a cookie', async () => {
    const b = browser();
    const wallet = devAccount(3);
    const message = siweMessage(wallet.address, await nonceFrom(b));
    const signature = await wallet.signMessage({ message });
    expect((await verify(b, message, signature)).statusCode).toBe(200);
    const attacker = browser();
    const replay = await verify(attacker, message, signature);
    expectProblem(replay, 401, 'siwe_nonce_invalid');
    expect(setCookies(replay)).toEqual([]);
    expect(attacker.session).toBeUndefined();
  });

  it('does not burn a good nonce on a refused attempt', async () => {
    const b = browser();
    const wallet = devAccount(3);
    const message = siweMessage(wallet.address, await nonceFrom(b));
    const bySomeoneElse = await devAccount(4).signMessage({ message });
    expectProblem(await verify(b, message, bySomeoneElse), 401, 'siwe_signature_invalid');
    expect((await verify(b, message, await wallet.signMessage({ message }))).statusCode).toBe(200);
  });

  const wallet = devAccount(3);
  const refusals: {
    name: string;
    status: number;
    code: string;
    build(nonce: string): Promise<{ message: string; signature: Hex }>;
  }[] = [
    {
      name: 'a nonce we never issued',
      status: 401,
      code: 'siwe_nonce_invalid',
      build: async () => {
        const message = siweMessage(wallet.address, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'an expired message',
      status: 401,
      code: 'siwe_expired',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, {
          issuedAt: new Date(Date.now() - 10 * 60_000),
          expirationTime: new Date(Date.now() - 60_000),
        });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'a message not valid yet (notBefore)',
      status: 401,
      code: 'siwe_not_yet_valid',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, {
          notBefore: new Date(Date.now() + 10 * 60_000),
          expirationTime: new Date(Date.now() + 20 * 60_000),
        });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'a message issued in the future',
      status: 401,
      code: 'siwe_not_yet_valid',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, {
          issuedAt: new Date(Date.now() + 10 * 60_000),
          expirationTime: new Date(Date.now() + 20 * 60_000),
        });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'another domain',
      status: 401,
      code: 'siwe_domain_mismatch',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, { domain: 'evil.example:3000' });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'a uri on another origin',
      status: 401,
      code: 'siwe_uri_mismatch',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, { uri: 'https://evil.example/login' });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'an unsupported chain id',
      status: 401,
      code: 'siwe_chain_unsupported',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce, { chainId: 1 });
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
    {
      name: 'a signature by another key',
      status: 401,
      code: 'siwe_signature_invalid',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce);
        return { message, signature: await devAccount(4).signMessage({ message }) };
      },
    },
    {
      name: 'a 64-byte (EIP-2098 compact) signature',
      status: 401,
      code: 'siwe_signature_invalid',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce);
        const full = parseSignature(await wallet.signMessage({ message }));
        const signature = serializeCompactSignature(signatureToCompactSignature(full));
        expect((signature.length - 2) / 2).toBe(64);
        return { message, signature };
      },
    },
    {
      name: 'a lowercase (non-EIP-55) address',
      status: 400,
      code: 'siwe_malformed',
      build: async (nonce) => {
        const message = siweMessage(wallet.address, nonce).replace(
          wallet.address,
          wallet.address.toLowerCase(),
        );
        expect(message).toContain(wallet.address.toLowerCase());
        return { message, signature: await wallet.signMessage({ message }) };
      },
    },
  ];

  it.each(refusals)('refuses $name with $status $code', async ({ status, code, build }) => {
    const b = browser();
    const { message, signature } = await build(await nonceFrom(b));
    const res = await verify(b, message, signature);
    expectProblem(res, status, code);
    expect(b.session).toBeUndefined();
  });

  it('refuses a message at exactly its expiration time, and accepts it 1 ms before', async () => {
    const b = browser();
    const at = Date.now();
    platform.identityClock.fixedMs = at;
    try {
      const message = siweMessage(wallet.address, await nonceFrom(b), {
        issuedAt: new Date(at - 60_000),
        expirationTime: new Date(at),
      });
      const signature = await wallet.signMessage({ message });
      expectProblem(await verify(b, message, signature), 401, 'siwe_expired');
      platform.identityClock.fixedMs = at - 1;
      expect((await verify(b, message, signature)).statusCode).toBe(200);
    } finally {
      platform.identityClock.fixedMs = undefined;
    }
  });
});

describe('SIWE parsing vectors and size limits', () => {
  const vectors = (name: string) =>
    JSON.parse(readFileSync(new URL(name, SIWE_VECTORS), 'utf8')) as Record<string, unknown>;
  // Well-formed hex of the right length: the message, not the signature, is under test.
  const anySignature = `0x${'11'.repeat(65)}` as Hex;

  it('every positive vector parses (refused for not being ours: 401, never 400)', async () => {
    const positives = vectors('parsing_positive.json') as Record<string, { message: string }>;
    expect(Object.keys(positives).length).toBeGreaterThan(10);
    for (const [name, { message }] of Object.entries(positives)) {
      const res = await verify(browser(), message, anySignature);
      expect({ name, status: res.statusCode }).toEqual({ name, status: 401 });
      expect(res.json<{ code: string }>().code).toMatch(
        /^siwe_(domain_mismatch|uri_mismatch|nonce_invalid)$/,
      );
    }
  });

  it('every negative vector is refused with 400 siwe_malformed', async () => {
    const negatives = vectors('parsing_negative.json') as Record<string, string>;
    expect(Object.keys(negatives).length).toBeGreaterThan(10);
    for (const [name, message] of Object.entries(negatives)) {
      const res = await verify(browser(), message, anySignature);
      expect({ name, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({
        name,
        status: 400,
        code: 'siwe_malformed',
      });
    }
  });

  it('refuses oversized messages fast with 400 siwe_malformed (1 MB statement; 10,000 resources; 20 KiB)', async () => {
    const b = browser();
    const nonce = await nonceFrom(b);
    const address = devAccount(3).address;
    const huge = [
      siweMessage(address, nonce, { statement: 'a'.repeat(1024 * 1024) }),
      siweMessage(address, nonce, {
        resources: Array.from({ length: 10_000 }, (_, i) => `https://example.com/r/${i}`),
      }),
      // Under the gateway's 64 KiB body limit, over identity's 16 KiB message limit.
      siweMessage(address, nonce, { statement: 'a'.repeat(20 * 1024) }),
    ];
    for (const message of huge) {
      const started = performance.now();
      const res = await verify(b, message, anySignature);
      expect(performance.now() - started).toBeLessThan(1_000);
      expectProblem(res, 400, 'siwe_malformed');
    }
    // The nonce survived all of it.
    const message = siweMessage(address, nonce);
    expect((await verify(b, message, await devAccount(3).signMessage({ message }))).statusCode).toBe(200);
  });

  it('answers a body that is not a SIWE proof with 400 siwe_malformed', async () => {
    const b = browser();
    expectProblem(await b.post('/v1/auth/siwe/verify', { message: 'x' }), 400, 'siwe_malformed');
    expectProblem(
      await b.post('/v1/auth/siwe/verify', { message: 'x', signature: 'not hex' }),
      400,
      'siwe_malformed',
    );
    expectProblem(
      await b.request({
        method: 'POST',
        url: '/v1/auth/siwe/verify',
        body: '{"message":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'siwe_malformed',
    );
  });

  it('answers an over-limit body elsewhere with 413 payload_too_large, never a 5xx', async () => {
    const res = await browser().post('/v1/auth/email/start', {
      email: `${'a'.repeat(2 * 1024 * 1024)}@x.org`,
    });
    expectProblem(res, 413, 'payload_too_large');
  });
});

describe('ERC-1271 contract wallets', () => {
  const rpcUrl = () =>
    testInfra().demo?.rpcUrl ?? (JSON.parse(testInfra().chainsJson) as { rpcUrl: string }[])[0]!.rpcUrl;

  async function signInAs(walletAddress: Address, signer: LocalAccount) {
    const b = browser();
    const message = siweMessage(walletAddress, await nonceFrom(b));
    return { b, res: await verify(b, message, await signer.signMessage({ message })) };
  }

  it.runIf(testInfra().demo)('signs in the demo SmartWallet with its owner (dev account #1)', async () => {
    const address = getAddress(testInfra().demo!.contracts.SmartWallet);
    const { b, res } = await signInAs(address, devAccount(1));
    expect(res.statusCode).toBe(200);
    expect(res.json<{ member: { wallets: string[] } }>().member.wallets).toEqual([address]);
    expect((await b.get('/v1/me')).statusCode).toBe(200);
  });

  it("signs in a fresh SmartWallet; after setOwner the old owner's signature fails", async () => {
    // Our own wallet, deployed and owned by fresh keys: no other test sees the rotation, and no
    // nonce races with test files sending from the shared dev accounts.
    const [firstOwner, secondOwner] = [
      privateKeyToAccount(generatePrivateKey()),
      privateKeyToAccount(generatePrivateKey()),
    ];
    await rpcRequest(rpcUrl(), 'hardhat_setBalance', [firstOwner.address, numberToHex(10n ** 18n)]);
    const client = createWalletClient({
      account: firstOwner,
      chain: devChainDefinition(rpcUrl()),
      transport: devTransport(rpcUrl()),
      pollingInterval: 50,
    }).extend(publicActions);
    const deployed = await client.waitForTransactionReceipt({
      hash: await client.deployContract({
        abi: smartWalletAbi,
        bytecode: smartWalletBytecode,
        args: [firstOwner.address],
      }),
    });
    const address = getAddress(deployed.contractAddress!);

    const first = await signInAs(address, firstOwner);
    expect(first.res.statusCode).toBe(200);
    const memberId = first.res.json<{ member: { id: string } }>().member.id;

    await client.waitForTransactionReceipt({
      hash: await client.writeContract({
        address,
        abi: smartWalletAbi,
        functionName: 'setOwner',
        args: [secondOwner.address],
      }),
    });
    expectProblem((await signInAs(address, firstOwner)).res, 401, 'siwe_signature_invalid');
    const second = await signInAs(address, secondOwner);
    expect(second.res.statusCode).toBe(200);
    expect(second.res.json<{ member: { id: string } }>().member.id).toBe(memberId);
  });
});

describe('email sign-in', () => {
  it('mails a code to a real SMTP listener; it signs in once; the database holds only hashes', async () => {
    const email = 'ada@example.org';
    const b = browser();
    const before = platform.inbox.mails.length;
    const start = await b.post('/v1/auth/email/start', { email: 'Ada@Example.org' });
    expect(start.statusCode).toBe(202);
    expect(start.json()).toEqual({});
    const mail = await platform.inbox.waitFor(email, 10_000, before);
    const code = codeIn(mail.text);
    const link = linkIn(mail.text);
    expect(link.startsWith(`${APP_ORIGIN}/v1/auth/email/callback?token=`)).toBe(true);

    const signedIn = await b.post('/v1/auth/email/verify', { email, code });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json<{ member: { emails: string[] } }>().member.emails).toEqual([email]);
    expect(sessionCookieLine(signedIn)).toMatch(/HttpOnly/);
    expect((await b.get('/v1/me')).json<{ member: { emails: string[] } }>().member.emails).toEqual([email]);

    const again = browser();
    expectProblem(await again.post('/v1/auth/email/verify', { email, code }), 401, 'email_code_invalid');
    expect(again.session).toBeUndefined();

    const db = new pg.Client({ connectionString: testInfra().databaseUrl });
    await db.connect();
    try {
      const schema = `${platform.namespace}_identity`;
      const challenges = await db.query(`SELECT * FROM "${schema}".email_challenges WHERE email = $1`, [
        email,
      ]);
      const sessions = await db.query(`SELECT * FROM "${schema}".sessions`);
      expect(challenges.rows.length).toBeGreaterThan(0);
      const token = new URL(link).searchParams.get('token')!;
      const secrets = [code, token, b.session!];
      for (const row of [...challenges.rows, ...sessions.rows] as Record<string, unknown>[]) {
        for (const value of Object.values(row)) {
          for (const secret of secrets) {
            if (Buffer.isBuffer(value)) expect(value.includes(Buffer.from(secret))).toBe(false);
            else expect(JSON.stringify(value) ?? '').not.toContain(secret);
          }
        }
      }
      for (const row of challenges.rows as { code_hash: Buffer }[]) expect(row.code_hash).toHaveLength(32);
      for (const row of sessions.rows as { token_hash: Buffer }[]) expect(row.token_hash).toHaveLength(32);
    } finally {
      await db.end();
    }
  });

  it('answers start the same for a known and an unknown address', async () => {
    const known = await browser().post('/v1/auth/email/start', { email: 'ada@example.org' });
    const unknown = await browser().post('/v1/auth/email/start', { email: 'nobody-yet@example.org' });
    for (const res of [known, unknown]) {
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe('{}');
    }
    expectProblem(
      await browser().post('/v1/auth/email/start', { email: 'not-an-email' }),
      400,
      'invalid_request',
    );
  });

  it('refuses an expired code', async () => {
    const email = 'late@example.org';
    const code = await startEmail(browser(), email);
    platform.identityClock.fixedMs = Date.now() + 11 * 60_000;
    try {
      expectProblem(
        await browser().post('/v1/auth/email/verify', { email, code }),
        401,
        'email_code_invalid',
      );
    } finally {
      platform.identityClock.fixedMs = undefined;
    }
  });

  it('locks a code after five wrong tries (429), even for the right code afterwards', async () => {
    const email = 'guesser@example.org';
    const code = await startEmail(browser(), email);
    const wrong = code === '000000' ? '000001' : '000000';
    const b = browser();
    for (let i = 1; i <= 4; i++) {
      expectProblem(await b.post('/v1/auth/email/verify', { email, code: wrong }), 401, 'email_code_invalid');
    }
    const fifth = await b.post('/v1/auth/email/verify', { email, code: wrong });
    expect(fifth.statusCode).toBe(429);
    expect((await b.post('/v1/auth/email/verify', { email, code })).statusCode).toBe(429);
    expect(b.session).toBeUndefined();
  });

  it("passes identity's per-address mail limit on as 429 rate_limited with retry-after", async () => {
    const email = 'flood@example.org';
    const b = browser();
    for (let i = 0; i < 5; i++)
      expect((await b.post('/v1/auth/email/start', { email })).statusCode).toBe(202);
    const limited = await b.post('/v1/auth/email/start', { email });
    expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('signs in by magic link: 302 to the app with the cookie; a used or bogus link 302s to ?signin=link-invalid', async () => {
    const email = 'linky@example.org';
    const before = platform.inbox.mails.length;
    await browser().post('/v1/auth/email/start', { email });
    const link = new URL(linkIn((await platform.inbox.waitFor(email, 10_000, before)).text));

    const b = browser();
    const res = await b.get(`${link.pathname}${link.search}`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${APP_ORIGIN}/`);
    expect(sessionCookieLine(res)).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await b.get('/v1/me')).json<{ member: { emails: string[] } }>().member.emails).toEqual([email]);

    for (const url of [`${link.pathname}${link.search}`, '/v1/auth/email/callback?token=bogus']) {
      const other = browser();
      const refused = await other.get(url);
      expect(refused.statusCode).toBe(302);
      expect(refused.headers.location).toBe(`${APP_ORIGIN}/?signin=link-invalid`);
      expect(setCookies(refused)).toEqual([]);
    }
  });
});

describe('sessions', () => {
  it('issues a new cookie at every sign-in', async () => {
    const b = browser();
    await signInWithWallet(b, devAccount(5));
    const first = b.session;
    await signInWithWallet(b, devAccount(5));
    expect(b.session).toBeDefined();
    expect(b.session).not.toBe(first);
  });

  it('refuses a cookie after logout at once, on this replica and (by the revocation event) on another', async () => {
    const b = browser();
    await signInWithWallet(b, devAccount(6));
    const token = b.session!;
    const elsewhere = replicaBrowser();
    elsewhere.setSession(token);

    // Count identity's resolveSession calls to see the other replica serve from its cache.
    let resolveCount = 0;
    const resolves = nc.subscribe(resolveSessionSubject(platform.namespace), {
      callback: () => {
        resolveCount += 1;
      },
    });
    await nc.flush();
    try {
      await eventually(async () => {
        const before = resolveCount;
        expect((await elsewhere.get('/v1/me')).statusCode).toBe(200);
        expect((await elsewhere.get('/v1/me')).statusCode).toBe(200);
        await nc.flush();
        // At most the first asked identity: the second came from the replica's cache, which it
        // only keeps once its revocation feed is live.
        expect(resolveCount - before).toBeLessThanOrEqual(1);
        return true;
      });
      expect(resolveCount).toBeGreaterThan(0);

      const out = await b.post('/v1/auth/logout');
      expect(out.statusCode).toBe(204);
      expect(sessionCookieLine(out)).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
      expect(b.session).toBeUndefined();

      const stolen = browser();
      stolen.setSession(token);
      const onThisReplica = await stolen.get('/v1/me');
      expectProblem(onThisReplica, 401, 'unauthenticated');
      // The dead cookie is cleared on the way.
      expect(sessionCookieLine(onThisReplica)).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);

      const started = Date.now();
      await eventually(async () => (await elsewhere.get('/v1/me')).statusCode === 401, {
        timeoutMs: 1_000,
        intervalMs: 20,
      });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      resolves.unsubscribe();
    }
  });

  it('logout-all ends every session of the member, on every replica', async () => {
    const phone = browser();
    const laptop = browser();
    const tablet = replicaBrowser();
    const { memberId } = await signInWithWallet(phone, devAccount(7));
    await signInWithWallet(laptop, devAccount(7));
    await signInWithWallet(tablet, devAccount(7));
    for (const b of [phone, laptop, tablet]) expect((await b.get('/v1/me')).statusCode).toBe(200);
    const someoneElse = browser();
    await signInWithWallet(someoneElse, devAccount(8));

    expect((await laptop.post('/v1/auth/logout-all')).statusCode).toBe(204);
    await eventually(
      async () => {
        for (const b of [phone, laptop, tablet]) expectProblem(await b.get('/v1/me'), 401, 'unauthenticated');
        return true;
      },
      { timeoutMs: 1_000, intervalMs: 20 },
    );
    expect(memberId).toBeDefined();
    expect((await someoneElse.get('/v1/me')).statusCode).toBe(200);
  });

  it('logout without a session is a 204 no-op; logout-all needs one', async () => {
    expect((await browser().post('/v1/auth/logout')).statusCode).toBe(204);
    expectProblem(await browser().post('/v1/auth/logout-all'), 401, 'unauthenticated');
  });

  it('refuses a cross-origin state-changing request with the cookie (403 csrf_failed); X-Coterie-CSRF: 1 passes', async () => {
    const b = browser();
    await signInWithWallet(b, devAccount(9));
    const patch = { displayName: 'Mallory was here' };
    expectProblem(await b.patch('/v1/me', patch, { origin: 'https://evil.example' }), 403, 'csrf_failed');
    expectProblem(await b.patch('/v1/me', patch, { origin: null }), 403, 'csrf_failed');
    expectProblem(
      await b.post('/v1/auth/logout', undefined, { origin: 'https://evil.example' }),
      403,
      'csrf_failed',
    );
    // Still signed in, profile unchanged.
    expect(
      (await b.get('/v1/me')).json<{ member: { displayName: unknown } }>().member.displayName,
    ).toBeNull();

    const withHeader = await b.patch('/v1/me', patch, {
      origin: 'https://evil.example',
      'x-coterie-csrf': '1',
    });
    expect(withHeader.statusCode).toBe(200);
    expect((await b.patch('/v1/me', patch, { origin: null, 'x-coterie-csrf': '1' })).statusCode).toBe(200);
    expect((await b.patch('/v1/me', patch)).statusCode).toBe(200);

    // Without the cookie there is nothing to forge: a cross-origin nonce request is fine.
    const anonymous = browser({ origin: 'https://evil.example' });
    expect((await anonymous.post('/v1/auth/siwe/nonce')).statusCode).toBe(200);
  });
});

describe('profile and linked accounts', () => {
  it('PATCH /v1/me updates the profile; null clears a field; bad values are 400', async () => {
    const b = browser();
    await signInWithWallet(b, devAccount(10));
    const res = await b.patch('/v1/me', {
      displayName: 'Ada',
      bio: 'Counts things',
      avatarUrl: 'https://example.org/ada.png',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ member: Record<string, unknown> }>().member).toMatchObject({
      displayName: 'Ada',
      bio: 'Counts things',
      avatarUrl: 'https://example.org/ada.png',
    });
    const cleared = await b.patch('/v1/me', { bio: null });
    expect(cleared.json<{ member: Record<string, unknown> }>().member).toMatchObject({
      displayName: 'Ada',
      bio: null,
    });
    expectProblem(await b.patch('/v1/me', { avatarUrl: 'javascript:alert(1)' }), 400, 'invalid_request');
    expectProblem(await b.patch('/v1/me', { displayName: '' }), 400, 'invalid_request');
    // Unknown fields are dropped (Fastify's removeAdditional), never passed on.
    const ignored = await b.patch('/v1/me', { role: 'admin' });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.json<{ member: Record<string, unknown> }>().member).not.toHaveProperty('role');
  });

  it('links a second wallet and an email to one member; each signs in to it', async () => {
    const b = browser();
    const { memberId } = await signInWithWallet(b, devAccount(11));
    const second = devAccount(12);
    const message = siweMessage(second.address, await nonceFrom(b));
    const linked = await b.post('/v1/me/wallets', {
      message,
      signature: await second.signMessage({ message }),
    });
    expect(linked.statusCode).toBe(201);
    expect(linked.json<{ member: { wallets: string[] } }>().member.wallets).toEqual([
      devAccount(11).address,
      second.address,
    ]);

    const email = 'linked@example.org';
    const before = platform.inbox.mails.length;
    expect((await b.post('/v1/me/emails/start', { email })).statusCode).toBe(202);
    const code = await mailedCode(email, before);
    const withEmail = await b.post('/v1/me/emails/verify', { email, code });
    expect(withEmail.statusCode).toBe(201);

    const me = (await b.get('/v1/me')).json<{
      member: { id: string; wallets: string[]; emails: string[] };
    }>();
    expect(me.member).toMatchObject({
      id: memberId,
      wallets: [devAccount(11).address, second.address],
      emails: [email],
    });

    expect((await signInWithWallet(browser(), second)).memberId).toBe(memberId);
    const byEmail = browser();
    const emailCode = await startEmail(byEmail, email);
    const signedIn = await byEmail.post('/v1/auth/email/verify', { email, code: emailCode });
    expect(signedIn.json<{ member: { id: string } }>().member.id).toBe(memberId);
  });

  it('refuses a wallet (409 wallet_taken) or an email (409 email_taken) of another member', async () => {
    const owner = browser();
    await signInWithWallet(owner, devAccount(13));
    const ownerEmail = 'owner@example.org';
    const ownerCode = await (async () => {
      const before = platform.inbox.mails.length;
      await owner.post('/v1/me/emails/start', { email: ownerEmail });
      return mailedCode(ownerEmail, before);
    })();
    expect(
      (await owner.post('/v1/me/emails/verify', { email: ownerEmail, code: ownerCode })).statusCode,
    ).toBe(201);

    const thief = browser();
    await signInWithWallet(thief, devAccount(14));
    const message = siweMessage(devAccount(13).address, await nonceFrom(thief));
    expectProblem(
      await thief.post('/v1/me/wallets', {
        message,
        signature: await devAccount(13).signMessage({ message }),
      }),
      409,
      'wallet_taken',
    );

    const before = platform.inbox.mails.length;
    expect((await thief.post('/v1/me/emails/start', { email: ownerEmail })).statusCode).toBe(202);
    const code = await mailedCode(ownerEmail, before);
    expectProblem(await thief.post('/v1/me/emails/verify', { email: ownerEmail, code }), 409, 'email_taken');
  });

  it('linking a wallet checks the SIWE proof like a sign-in', async () => {
    const b = browser();
    await signInWithWallet(b, devAccount(15));
    const message = siweMessage(devAccount(15).address, await nonceFrom(b), { domain: 'evil.example' });
    expectProblem(
      await b.post('/v1/me/wallets', { message, signature: await devAccount(15).signMessage({ message }) }),
      401,
      'siwe_domain_mismatch',
    );
    expectProblem(
      await b.post('/v1/me/wallets', { message: 'x'.repeat(100 * 1024), signature: '0x00' }),
      400,
      'siwe_malformed',
    );
  });

  it('needs a session for every /v1/me route', async () => {
    const b = browser();
    const proof = { message: 'm', signature: '0x00' };
    for (const res of [
      await b.get('/v1/me'),
      await b.patch('/v1/me', { bio: 'x' }),
      await b.post('/v1/me/wallets', proof),
      await b.post('/v1/me/emails/start', { email: 'a@example.org' }),
      await b.post('/v1/me/emails/verify', { email: 'a@example.org', code: '123456' }),
    ]) {
      expectProblem(res, 401, 'unauthenticated');
    }
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited with the IETF ratelimit headers on /v1/auth/siwe/*', async () => {
    const b = platform.browser({ app: replica, origin: HTTPS_ORIGIN, remoteAddress: '203.0.113.7' });
    for (let i = 0; i < 3; i++) {
      const ok = await b.post('/v1/auth/siwe/nonce');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await b.post('/v1/auth/siwe/nonce');
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Per client IP: another address is not affected.
    const other = platform.browser({ app: replica, origin: HTTPS_ORIGIN, remoteAddress: '203.0.113.8' });
    expect((await other.post('/v1/auth/siwe/nonce')).statusCode).toBe(200);
  });

  it('limits /v1/auth/email/start separately and lower', async () => {
    const b = platform.browser({ app: replica, origin: HTTPS_ORIGIN, remoteAddress: '203.0.113.9' });
    for (let i = 0; i < 2; i++) {
      expect((await b.post('/v1/auth/email/start', { email: `rl${i}@example.org` })).statusCode).toBe(202);
    }
    const limited = await b.post('/v1/auth/email/start', { email: 'rl9@example.org' });
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.headers['ratelimit-limit']).toBe('2');
  });
});

describe('OpenAPI', () => {
  it('/docs/json lists every identity route with its schemas and problem responses', async () => {
    const doc = (await browser().get('/docs/json')).json<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    const routes: [string, string, string][] = [
      ['post', '/v1/auth/siwe/nonce', '200'],
      ['post', '/v1/auth/siwe/verify', '200'],
      ['post', '/v1/auth/email/start', '202'],
      ['post', '/v1/auth/email/verify', '200'],
      ['get', '/v1/auth/email/callback', '302'],
      ['post', '/v1/auth/logout', '204'],
      ['post', '/v1/auth/logout-all', '204'],
      ['get', '/v1/me', '200'],
      ['patch', '/v1/me', '200'],
      ['post', '/v1/me/wallets', '201'],
      ['post', '/v1/me/emails/start', '202'],
      ['post', '/v1/me/emails/verify', '201'],
    ];
    for (const [method, path, status] of routes) {
      const op = doc.paths[path]?.[method] as
        | { tags: string[]; responses: Record<string, unknown>; requestBody?: unknown }
        | undefined;
      expect({ method, path, defined: op !== undefined }).toEqual({ method, path, defined: true });
      expect(op!.tags).toEqual(['identity']);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining([status, '4XX', '5XX']));
      if (method !== 'get' && !path.includes('logout') && !path.endsWith('/nonce')) {
        expect(op!.requestBody).toBeDefined();
      }
    }
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      in: 'cookie',
      name: 'coterie_session',
    });
  });
});
