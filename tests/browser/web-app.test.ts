import { communityTokenAbi } from '@coterie/contracts-abi';
import { devAccount, devChainDefinition, devTransport, evmMine } from '@coterie/contracts-abi/dev-chain';
import { testInfra } from '@coterie/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Address, createPublicClient, createWalletClient, parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchChromium } from './support/chromium.ts';
import { startWebStack, type WebStack } from './support/stack.ts';
import { injectWallet, type TestWallet } from './support/wallet.ts';

/** Hardhat account #15 of the default mnemonic: starts with ETH only, no CommunityToken. */
const MEMBER_INDEX = 15;
const STEP_TIMEOUT = 15_000;

let stack: WebStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Console errors of every page: a CSP violation or an uncaught error fails the last test. */
const pageErrors: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startWebStack(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function newPage(wallet?: TestWallet, viewport = { width: 1100, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      pageErrors.push(message.text());
    }
  });
  const demo = testInfra().demo;
  if (wallet && demo) await injectWallet(page, wallet, demo.rpcUrl);
  return page;
}

function memberWallet(): TestWallet {
  return { account: devAccount(MEMBER_INDEX), chainId: 31337, rejectNextSignature: false, calls: [] };
}

async function signInWithWallet(page: Page): Promise<void> {
  await page.goto(`${stack.origin}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with wallet' }).click();
  await page.getByTestId('nav-profile').waitFor();
}

async function signInWithEmail(page: Page, email: string): Promise<void> {
  await page.goto(`${stack.origin}/sign-in`);
  const after = stack.inbox.mails.length;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  const mail = await stack.inbox.waitFor(email, 10_000, after);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  expect(code, `a 6-digit code in: ${mail.text}`).toBeDefined();
  await page.getByLabel('Code from the email').fill(code ?? '');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('nav-profile').waitFor();
}

describe('the web app in Chromium against the real stack', () => {
  it('is served by the gateway with its caching headers and SPA fallback', async () => {
    const shell = await fetch(`${stack.origin}/c/anything`, { headers: { accept: 'text/html' } });
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${stack.origin}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api404 = await fetch(`${stack.origin}/v1/nope`, { headers: { accept: 'text/html' } });
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('is keyboard-navigable from the first Tab (skip link) and renders on a phone', async () => {
    const page = await newPage(undefined, { width: 390, height: 844 });
    await page.goto(`${stack.origin}/`);
    await page.getByRole('heading', { name: 'Communities' }).waitFor();
    await page.keyboard.press('Tab');
    // Runs in the page, where `document` exists; Node's types do not know it.
    const focused = await page.evaluate('document.activeElement?.textContent');
    expect(focused).toBe('Skip to content');
    await page.screenshot({ path: `${ARTIFACTS_DIR}directory-phone.png`, fullPage: true });
  });

  it('signs in with a wallet: wrong network and a rejected signature are explained, then the member is shown', async () => {
    const wallet = { ...memberWallet(), chainId: 1 };
    const page = await newPage(wallet);
    await page.goto(`${stack.origin}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with wallet' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/network 1, which Coterie does not accept/);
    await page.getByRole('button', { name: /Switch to/ }).click();
    expect(wallet.chainId).toBe(31337);

    wallet.rejectNextSignature = true;
    await page.getByRole('button', { name: 'Sign in with wallet' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/You rejected the signature request/);

    await page.getByRole('button', { name: 'Sign in with wallet' }).click();
    await page.getByTestId('nav-profile').waitFor();
    await page.getByTestId('nav-profile').click();
    await expect.poll(() => page.getByTestId('wallets').textContent()).toContain(wallet.account.address);
    expect(wallet.calls).toContain('personal_sign');
  }, 60_000);

  it('signs in with an emailed code: a wrong code is explained, the real one from SMTP works', async () => {
    const email = `web-${Date.now()}@example.com`;
    const page = await newPage();
    await page.goto(`${stack.origin}/sign-in`);
    const after = stack.inbox.mails.length;
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await stack.inbox.waitFor(email, 10_000, after);
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Code from the email').fill(wrong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong or has expired/);
    await page.getByLabel('Code from the email').fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('nav-profile').click();
    await expect.poll(() => page.getByTestId('emails').textContent()).toContain(email);
  }, 60_000);

  describe('a creator gates a tier on CommunityToken; a member earns it', () => {
    const slug = `holders-${Date.now().toString(36)}`;
    let creator: Page;
    let member: Page;

    it('a creator creates a community and a token-gated tier through the UI', async (ctx) => {
      const demo = testInfra().demo;
      if (!demo) ctx.skip(true, 'needs the dev chain with the demo contracts (run without CHAINS set)');
      creator = await newPage({ ...memberWallet(), account: devAccount(16) });
      await signInWithEmail(creator, `creator-${slug}@example.com`);

      await creator.getByRole('link', { name: 'Create', exact: true }).click();
      await creator.getByLabel('Name').fill('Token Holders Club');
      await creator.getByLabel('Web address').fill(slug);
      await creator.getByLabel('Description').fill('For people who hold CTR.');
      await creator.getByRole('button', { name: 'Create community' }).click();
      await creator.waitForURL(`**/c/${slug}/manage/tiers`);

      await creator.getByLabel('Tier name').fill('Holders');
      await creator.getByLabel('Perk 1').fill('Holder chat');
      await creator.getByLabel('Link (members only, optional)').fill('https://chat.example.com/holders');
      const token = demo?.contracts.CommunityToken ?? '';
      // A mistyped checksum is caught before anything is sent.
      const badCase = token.replace(/[a-f]/, (c) => c.toUpperCase());
      await creator
        .getByLabel('Token contract address')
        .fill(badCase === token ? token.toLowerCase() : badCase);
      await creator.getByLabel('Minimum amount (e.g. 1 or 0.5)').fill('1');
      await creator.getByRole('button', { name: 'Create tier' }).click();
      if (badCase !== token) {
        await expect.poll(() => creator.locator('.field-error').first().textContent()).toMatch(/checksum/);
        await creator.getByLabel('Token contract address').fill(token.toLowerCase());
      }
      await creator.getByLabel('Token contract address').blur();
      await expect.poll(() => creator.getByLabel('Token decimals').inputValue()).toBe('18');
      await creator.getByRole('button', { name: 'Create tier' }).click();
      await expect
        .poll(() => creator.getByRole('status').filter({ hasText: 'created' }).textContent())
        .toMatch(/Tier “Holders” created/);
    }, 90_000);

    it('a member sees no access and why, receives CommunityToken, refreshes, and gets the tier and its perks', async (ctx) => {
      const demo = testInfra().demo;
      if (!demo || !creator) ctx.skip(true, 'needs the dev chain and the community of the previous test');
      const wallet = memberWallet();
      member = await newPage(wallet);
      await signInWithWallet(member);
      await member.goto(`${stack.origin}/c/${slug}`);
      const tier = member.locator('[data-tier="Holders"]');
      await expect.poll(() => member.getByTestId('membership').textContent()).toMatch(/No access yet/);
      await expect.poll(() => tier.textContent()).toMatch(/You hold 0 CTR, this tier needs 1 CTR/);
      expect(await tier.getByRole('link', { name: 'Holder chat' }).count()).toBe(0);

      const rpcUrl = demo?.rpcUrl ?? '';
      const chain = devChainDefinition(rpcUrl);
      const treasury = createWalletClient({ chain, transport: devTransport(rpcUrl), account: devAccount(0) });
      const reader = createPublicClient({ chain, transport: devTransport(rpcUrl) });
      const send = async (amount: string) => {
        const hash = await treasury.writeContract({
          address: demo?.contracts.CommunityToken as Address,
          abi: communityTokenAbi,
          functionName: 'transfer',
          args: [wallet.account.address, parseEther(amount)],
        });
        await reader.waitForTransactionReceipt({ hash });
        await evmMine(rpcUrl, 2); // past the chain's confirmation depth
      };

      await send('0.5');
      await member.getByRole('button', { name: 'Refresh my access' }).click();
      await expect.poll(() => tier.textContent()).toMatch(/You hold 0.5 CTR, this tier needs 1 CTR/);
      await expect.poll(() => member.getByTestId('membership').textContent()).toMatch(/No access yet/);

      await send('0.5');
      await member.getByRole('button', { name: 'Refresh my access' }).click();
      await expect
        .poll(() => member.getByTestId('membership').textContent(), { timeout: 20_000 })
        .toMatch(/You are a Holders member through holding 1 CTR/);
      await expect
        .poll(() => tier.getByRole('link', { name: 'Holder chat' }).getAttribute('href'))
        .toBe('https://chat.example.com/holders');
      await member.screenshot({ path: `${ARTIFACTS_DIR}community-page.png`, fullPage: true });
      await member.setViewportSize({ width: 390, height: 844 });
      await member.screenshot({ path: `${ARTIFACTS_DIR}community-page-phone.png`, fullPage: true });
    }, 90_000);

    it('voting on a proposal through the UI changes the tally', async (ctx) => {
      if (!creator || !member) ctx.skip(true, 'needs the community and member of the previous tests');
      await creator.goto(`${stack.origin}/c/${slug}/proposals`);
      const openForm = creator.getByText('Open a proposal (admins)');
      await openForm
        .or(creator.getByText(/coming soon/))
        .first()
        .waitFor();
      if ((await openForm.count()) === 0) ctx.skip(true, 'governance routes are not on this server yet');
      await openForm.click();
      await creator.getByLabel('Title').fill('Pick the next meetup city');
      await creator.getByLabel('Body').fill('One vote per member.');
      await creator.getByLabel('Choices (one per line)').fill('Lisbon\nBerlin');
      await creator.getByRole('button', { name: 'Open proposal' }).click();
      const link = creator.getByRole('link', { name: 'Pick the next meetup city' });
      await link.waitFor();
      const href = (await link.getAttribute('href')) ?? '';

      await member.goto(`${stack.origin}${href}`);
      await expect.poll(() => member.getByTestId('score-2').textContent()).toMatch(/^0 /);
      // The proposal opens a few seconds after creation; the page polls its status.
      await member.getByRole('button', { name: 'Sign and vote' }).waitFor({ timeout: 20_000 });
      await member.getByLabel('Berlin').check();
      await member.getByRole('button', { name: 'Sign and vote' }).click();
      await expect
        .poll(() => member.getByTestId('score-2').textContent(), { timeout: 20_000 })
        .toMatch(/^1 /);
    }, 90_000);

    it('the creator opens the dashboard of a community without revenue yet: no errors (screenshot)', async (ctx) => {
      if (!creator) ctx.skip(true, 'needs the community of the previous tests');
      await creator.goto(`${stack.origin}/c/${slug}/dashboard`);
      await creator.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await creator.getByTestId('kpi-mrr').waitFor();
      await creator.getByTestId('timeseries-chart').waitFor();
      expect(await creator.getByRole('alert').count()).toBe(0);
      // The dashboard with activity is community-life.test.ts's dashboard.png.
      await creator.screenshot({ path: `${ARTIFACTS_DIR}dashboard-empty.png`, fullPage: true });
    }, 60_000);
  });

  it('reported no CSP violation or uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
