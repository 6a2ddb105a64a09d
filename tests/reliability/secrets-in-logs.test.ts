import { randomBytes } from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, HttpResponse } from '../support/browser.ts';
import { capturingLogger, type Platform, startPlatform } from '../support/platform.ts';
import { recordReliability } from '../support/reliability-summary.ts';
import { signInWithWallet } from '../support/siwe.ts';
import { type StripeDouble, startStripeDouble } from '../support/stripe-double.ts';

/**
 * Issue #11, secrets never in logs: the whole platform logs at `trace` into memory (and whatever
 * reaches stdout/stderr is kept too) while every credential flow runs: SIWE, email code, magic
 * link, linking an email, a private calendar feed, sign-out, and signed (and forged) Stripe
 * webhooks. Then every captured line is searched for every secret value the run handled.
 */

const IDENTITY_TOKEN_SECRET = `identity-token-secret-${randomBytes(24).toString('hex')}`;
const capture = capturingLogger('trace');
const streamLines: string[] = [];
const secrets = new Map<string, string>();
let platform: Platform;
let stripe: StripeDouble;
let restoreStreams: (() => void) | undefined;

/** Remembers a secret value under a label (a label may hold several values: `session #2`). */
function secret(label: string, value: string | undefined): string {
  if (!value) throw new Error(`no value for ${label}`);
  secrets.set(`${label} #${[...secrets.keys()].filter((k) => k.startsWith(`${label} #`)).length + 1}`, value);
  return value;
}

/** Tees process.stdout/stderr writes into `streamLines` (a stray console.log is a log line too). */
function teeStreams(): () => void {
  const originals = [process.stdout.write, process.stderr.write] as const;
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      streamLines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  return () => {
    process.stdout.write = originals[0];
    process.stderr.write = originals[1];
  };
}

beforeAll(async () => {
  stripe = await startStripeDouble();
  secret('IDENTITY_TOKEN_SECRET', IDENTITY_TOKEN_SECRET);
  secret('Stripe webhook secret', stripe.webhookSecret);
  secret('Stripe secret key', stripe.secretKey);
  restoreStreams = teeStreams();
  platform = await startPlatform({
    logger: capture.logger,
    identityEnv: { IDENTITY_TOKEN_SECRET },
    gatewayEnv: { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret },
    serviceEnv: {
      entitlements: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  restoreStreams?.();
  await platform?.stop();
  await stripe?.close();
});

const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1];
const linkTokenIn = (text: string) => /\/v1\/auth\/email\/callback\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

async function mail(email: string, start: () => Promise<HttpResponse>): Promise<string> {
  const before = platform.inbox.mails.length;
  const res = await start();
  expect(res.statusCode, res.body).toBe(202);
  return (await platform.inbox.waitFor(email, 10_000, before)).text;
}

/** Where `value` occurs in `line` as a whole token (a 6-digit code inside a timestamp is no hit). */
function occursIn(line: string, value: string): boolean {
  if (!/^\d+$/.test(value)) return line.includes(value);
  return new RegExp(`(?<![0-9.])${value}(?![0-9.])`).test(line);
}

describe('secrets never reach the logs', () => {
  it('logs no session token, code, link token, feed token, webhook or API secret, private key or identity secret', async () => {
    expect(capture.logger.level).toBe('trace');

    // Wallet sign-in (SIWE) with a private key only the test knows; then a replayed proof.
    const walletKey = generatePrivateKey();
    secret('wallet private key', walletKey);
    const wallet = platform.browser();
    await signInWithWallet(wallet, privateKeyToAccount(walletKey));
    secret('session token', wallet.session);

    // Email sign-in by code (a wrong guess first), and by magic link (then the link again).
    const email = `secret-${randomBytes(4).toString('hex')}@example.org`;
    const byCode = platform.browser();
    const code = secret(
      'email code',
      codeIn(await mail(email, () => byCode.post('/v1/auth/email/start', { email }))),
    );
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await byCode.post('/v1/auth/email/verify', { email, code: wrong })).statusCode).toBe(401);
    expect((await byCode.post('/v1/auth/email/verify', { email, code })).statusCode).toBe(200);
    secret('session token', byCode.session);

    const byLink = platform.browser({ remoteAddress: '10.1.1.2' });
    const text = await mail(email, () => byLink.post('/v1/auth/email/start', { email }));
    secret('email code', codeIn(text));
    const linkToken = secret('magic-link token', linkTokenIn(text));
    const landed = await byLink.get(`/v1/auth/email/callback?token=${linkToken}`);
    expect(landed.statusCode).toBe(302);
    secret('session token', byLink.session);
    expect((await platform.browser().get(`/v1/auth/email/callback?token=${linkToken}`)).statusCode).toBe(302);

    // Linking an email to the wallet member proves it with another code.
    const second = `secret-link-${randomBytes(4).toString('hex')}@example.org`;
    const linkCode = secret(
      'email code',
      codeIn(await mail(second, () => wallet.post('/v1/me/emails/start', { email: second }))),
    );
    expect((await wallet.post('/v1/me/emails/verify', { email: second, code: linkCode })).statusCode).toBe(
      201,
    );

    // A private calendar feed: its token travels in a query string.
    const feed = await wallet.post('/v1/me/calendar-token');
    expect(feed.statusCode).toBe(201);
    const feedToken = secret('calendar feed token', feed.json<{ token: string }>().token);
    expect((await platform.browser().get(`/v1/me/calendar.ics?token=${feedToken}`)).statusCode).toBe(200);

    // Stripe: a signed webhook (its signature is a credential for that body), then a forged one.
    const account = stripe.put({
      id: `acct_${randomBytes(6).toString('hex')}`,
      object: 'account',
      charges_enabled: true,
    });
    const event = stripe.event('account.updated', account);
    const { payload, header } = stripe.sign(event);
    secret('Stripe-Signature', /v1=([0-9a-f]+)/.exec(header)?.[1]);
    const post = (signature: string) =>
      platform.gateway.fastify.inject({
        method: 'POST',
        url: '/v1/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        payload,
      });
    expect((await post(header)).statusCode).toBe(200);
    const forged = stripe.sign(event, { secret: `whsec_${randomBytes(16).toString('hex')}` }).header;
    expect((await post(forged)).statusCode).toBe(400);

    // The personal data export carries the cookie too (and must not log what it returns).
    expect((await wallet.get('/v1/me/data')).statusCode).toBe(200);

    // Sign-out with each cookie, and a stolen (revoked) cookie replayed.
    for (const b of [wallet, byCode] as Browser[]) {
      const stolen = b.session;
      expect((await b.post('/v1/auth/logout')).statusCode).toBe(204);
      const thief = platform.browser();
      thief.setSession(stolen);
      expect((await thief.get('/v1/me')).statusCode).toBe(401);
    }

    // Let consumers, relays and Stripe reconciliation log what they will.
    await new Promise((r) => setTimeout(r, 500));

    // A canary at trace level proves the capture reaches the lowest level and the scan finds a hit.
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    capture.logger.trace({ canary }, 'trace canary');

    const lines = [...capture.lines, ...streamLines];
    expect(lines.filter((l) => occursIn(l, canary))).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(20);
    // The capture works: requests were logged, with the route that carried the cookie.
    expect(lines.some((l) => l.includes('/v1/auth/siwe/verify'))).toBe(true);

    const hits: string[] = [];
    for (const [label, value] of secrets) {
      for (const line of lines) {
        if (occursIn(line, value)) hits.push(`${label} in: ${line.slice(0, 300)}`);
      }
    }
    recordReliability({
      category: 'secrets',
      check: `${secrets.size} secret values × ${lines.length} log lines (trace level, every service + gateway)`,
      tried: secrets.size * lines.length,
      passed: secrets.size * lines.length - hits.length,
      lost: 0,
    });
    expect(hits).toEqual([]);
  }, 60_000);
});
