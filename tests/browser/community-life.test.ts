import { readFileSync } from 'node:fs';
import { evmMine, freshAccount } from '@coterie/contracts-abi/dev-chain';
import { testInfra } from '@coterie/testing';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeDouble, type StripeObject, startStripeDouble } from '../support/stripe-double.ts';
import { stripeInvoice, stripeSubscription } from '../support/stripe-objects.ts';
import { deliverStripeEvent } from '../support/stripe-webhooks.ts';
import { ARTIFACTS_DIR, launchChromium } from './support/chromium.ts';
import { startWebStack, TEST_PUBLISHABLE_KEY, type WebStack } from './support/stack.ts';
import { injectWallet, type TestWallet } from './support/wallet.ts';

/**
 * A community's life in the browser, against the real services: crypto and card tips, an event
 * with a waitlist, the NPS question, the members list and the creator's dashboard.
 *
 * Tipping waits for this many confirmations (and the app says so): a transfer stays `pending`
 * until the test mines the rest, even if other test files mine a few blocks meanwhile.
 */
const CONFIRMATIONS = 20;
const STEP_TIMEOUT = 15_000;
/** Stripe.js cannot be fetched here (no internet): a test-only stand-in is served in its place. */
const STRIPE_JS_DOUBLE = readFileSync(new URL('./support/stripe-js-double.js', import.meta.url), 'utf8');
const DECLINED_CARD = '4000000000000002';

interface Person {
  wallet: TestWallet;
  page: Page;
  address: string;
}

const demo = testInfra().demo;
const slug = `life-${Date.now().toString(36)}`;
let stack: WebStack;
let browser: Browser;
let stripe: StripeDouble;
let rpcUrl: string;
let creator: Person;
let alice: Person;
let bob: Person;
/** Console errors of every page: a CSP violation or an uncaught error fails the last test. */
const pageErrors: string[] = [];

async function person(): Promise<Person> {
  const account = await freshAccount(rpcUrl);
  const wallet: TestWallet = { account, chainId: 31337, rejectNextSignature: false, calls: [] };
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      pageErrors.push(message.text());
    }
  });
  await injectWallet(page, wallet, rpcUrl);
  await page.goto(`${stack.origin}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with wallet' }).click();
  await page.getByTestId('nav-profile').waitFor();
  return { wallet, page, address: account.address };
}

/** A call with the person's session (setup steps the UI for which other tests cover). */
async function call(who: Person, method: string, path: string, data: unknown = {}): Promise<unknown> {
  const res = await who.page.request.fetch(`${stack.origin}${path}`, {
    method,
    headers: { 'x-coterie-csrf': '1' },
    data,
  });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
  return res.headers()['content-type']?.includes('json') ? res.json() : undefined;
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** `YYYY-MM-DDTHH:mm` in the local time zone (the browser's too), as a datetime-local input takes it. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function steps(page: Page): Promise<(string | null)[]> {
  const items = await page.getByTestId('tip-progress').locator('li').all();
  return Promise.all(items.map((item) => item.getAttribute('data-step')));
}

beforeAll(async () => {
  if (!demo) return;
  rpcUrl = demo.rpcUrl;
  stripe = await startStripeDouble();
  [stack, browser] = await Promise.all([
    startWebStack({ stripe, confirmations: CONFIRMATIONS }),
    launchChromium(),
  ]);
  [creator, alice, bob] = await Promise.all([person(), person(), person()]);
  await call(creator, 'POST', '/v1/communities', {
    slug,
    name: 'Rooftop Friends',
    description: 'Meetups on rooftops.',
    treasury: { chainId: 31337, address: creator.address },
  });
  await call(creator, 'POST', `/v1/communities/${slug}/tiers`, {
    name: 'Friends',
    description: 'Everyone on the list.',
    rank: 1,
    perks: [],
    gate: { type: 'allowlist', addresses: [alice.address, bob.address] },
  });
  await Promise.all([alice, bob].map((p) => call(p, 'POST', `/v1/communities/${slug}/membership/refresh`)));
  // Stripe Connect: onboarding, then Stripe says the account may take charges.
  await call(creator, 'POST', `/v1/communities/${slug}/stripe/connect`);
  const account = [...stripe.objects.values()].find((o) => o.object === 'account') as StripeObject;
  account.charges_enabled = true;
  expect(await deliverStripeEvent(stack.gateway, stripe, 'account.updated', account)).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await stripe?.close();
});

describe.skipIf(!demo)('a community’s life in the browser', () => {
  it('a member tips the creator 0.01 ETH from the wallet: pending, then confirmed after more blocks', async () => {
    const { page, wallet } = alice;
    await page.goto(`${stack.origin}/c/${slug}/tips`);
    await expect.poll(() => page.getByTestId('treasury').textContent()).toContain(creator.address);
    await page.getByLabel('Amount (ETH)').fill('0.01');
    await page.getByLabel('Message (optional)').fill('Thanks for the meetup!');
    await page.getByRole('button', { name: 'Send tip from my wallet' }).click();

    const pending = page.getByTestId('tip-progress').locator('[data-step="pending"]');
    await pending.waitFor();
    expect(await pending.textContent()).toContain(`waiting for ${CONFIRMATIONS} confirmations`);
    expect(wallet.calls).toContain('eth_sendTransaction');

    await evmMine(rpcUrl, CONFIRMATIONS - 1);
    const confirmed = page.getByTestId('tip-progress').locator('[data-step="confirmed"]');
    await confirmed.waitFor({ timeout: 20_000 });
    expect(await confirmed.textContent()).toBe('Tip confirmed: 0.01 ETH. Thank you!');
    expect(await steps(page)).toEqual(['sent', 'pending', 'confirmed']);
    await expect
      .poll(() => page.getByTestId('tip-feed').textContent())
      .toContain('0.01 ETH from you to the creator “Thanks for the meetup!”');
  }, 60_000);

  it('a member tips 5 USD by card (Stripe Elements): a declined card is explained; the tip confirms when Stripe’s webhook arrives', async () => {
    const { page } = alice;
    const confirmedIntents: string[] = [];
    await page.route('https://js.stripe.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: STRIPE_JS_DOUBLE }),
    );
    // What Stripe's API answers Stripe.js's confirm, from the Stripe double's PaymentIntent.
    await page.route('https://api.stripe.com/v1/payment_intents/*/confirm', async (route: Route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      const id = /payment_intents\/([^/]+)\/confirm/.exec(route.request().url())?.[1] ?? '';
      const intent = stripe.objects.get(id);
      const reply = (status: number, body: unknown) =>
        route.fulfill({
          status,
          headers: { 'access-control-allow-origin': stack.origin },
          contentType: 'application/json',
          body: JSON.stringify(body),
        });
      if (
        !intent ||
        intent.client_secret !== form.get('client_secret') ||
        form.get('key') !== TEST_PUBLISHABLE_KEY
      ) {
        return reply(400, {
          error: { type: 'invalid_request_error', message: `No such payment_intent: ${id}` },
        });
      }
      if (form.get('payment_method_data[card][number]') === DECLINED_CARD) {
        return reply(402, {
          error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
        });
      }
      Object.assign(intent, {
        status: 'succeeded',
        amount_received: intent.amount,
        payment_method: 'pm_card_visa',
      });
      confirmedIntents.push(id);
      return reply(200, intent);
    });

    await page.goto(`${stack.origin}/c/${slug}/tips`);
    await page.getByRole('radio', { name: 'card', exact: true }).check();
    await page.getByLabel('Amount (USD)').fill('5');
    await page.getByLabel('Message (optional)').fill('Coffee on me');
    // Stripe's account.updated reaches tipping asynchronously: until then the app says Connect is unfinished.
    for (let attempt = 1; ; attempt++) {
      await page.getByRole('button', { name: 'Continue to card payment' }).click();
      await page.getByTestId('card-payment').or(page.getByRole('alert')).first().waitFor();
      if ((await page.getByTestId('card-payment').count()) > 0) break;
      expect(await page.getByRole('alert').textContent()).toMatch(/not finished connecting Stripe/);
      expect(attempt).toBeLessThan(20);
      await page.waitForTimeout(500);
    }
    const card = page.getByTestId('card-payment');
    await card.getByLabel('Card number').fill('4000 0000 0000 0002');
    await card.getByLabel('Expiration date (MM / YY)').fill('12 / 34');
    await card.getByLabel('Security code (CVC)').fill('123');
    await card.getByRole('button', { name: 'Pay 5.00 USD' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toBe('Your card was declined.');

    await card.getByLabel('Card number').fill('4242 4242 4242 4242');
    await card.getByRole('button', { name: 'Pay 5.00 USD' }).click();
    await page.getByTestId('tip-progress').locator('[data-step="paid"]').waitFor();
    expect(confirmedIntents).toHaveLength(1);
    const intent = stripe.objects.get(confirmedIntents[0] as string) as StripeObject;
    expect(intent).toMatchObject({ amount: 500, currency: 'usd', metadata: { coterie_context: 'tipping' } });
    // Still pending: only Stripe's signed webhook credits a card tip.
    await page.waitForTimeout(1_500);
    expect(await steps(page)).toEqual(['created', 'paid']);

    expect(await deliverStripeEvent(stack.gateway, stripe, 'payment_intent.succeeded', intent)).toBe(200);
    const confirmed = page.getByTestId('tip-progress').locator('[data-step="confirmed"]');
    await confirmed.waitFor({ timeout: 20_000 });
    expect(await confirmed.textContent()).toBe('Tip confirmed: 5.00 USD. Thank you!');
    await expect
      .poll(() => page.getByTestId('tip-feed').textContent())
      .toContain('5.00 USD from you to the creator “Coffee on me”');
    await page.screenshot({ path: `${ARTIFACTS_DIR}tips.png`, fullPage: true });
  }, 60_000);

  it('a host schedules an event for one; the first RSVP gets the seat, the second waits at position 1; both can add it to a calendar', async () => {
    const host = creator.page;
    const start = new Date(Date.now() + 86_400_000);
    start.setHours(18, 0, 0, 0);
    const end = new Date(start.getTime() + 2 * 3_600_000);
    await host.goto(`${stack.origin}/c/${slug}/events`);
    await host.getByText('Schedule an event (hosts)').click();
    const form = host.getByRole('form', { name: 'Schedule an event' });
    await form.getByLabel('Title').fill('Rooftop meetup');
    await form.getByLabel('Description').fill('Small and cosy.');
    await form.getByLabel('Starts', { exact: true }).fill(localInput(start));
    await form.getByLabel('Ends', { exact: true }).fill(localInput(end));
    await form.getByLabel('Where').selectOption('venue');
    await form.getByLabel('Address').fill('1 Roof Street, Lisbon');
    await form.getByLabel('Capacity (optional)').fill('1');
    await form.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Event “Rooftop meetup” scheduled.');
    const hostCard = host.locator('[data-event="Rooftop meetup"]');
    await expect.poll(() => hostCard.getByTestId('seats').textContent()).toBe('0 going · 1 of 1 place left');

    const rsvp = async (who: Person) => {
      await who.page.goto(`${stack.origin}/c/${slug}/events`);
      const card = who.page.locator('[data-event="Rooftop meetup"]');
      await card.getByRole('button', { name: 'Going', exact: true }).click();
      await expect
        .poll(() => card.getByRole('button', { name: 'Going', exact: true }).getAttribute('aria-pressed'))
        .toBe('true');
      return card;
    };
    const aliceCard = await rsvp(alice);
    await expect
      .poll(() => aliceCard.getByTestId('rsvp-status').textContent())
      .toBe('You are going. See you there!');
    const bobCard = await rsvp(bob);
    await expect
      .poll(() => bobCard.getByTestId('rsvp-status').textContent())
      .toBe('The event is full: you are on the waitlist, position 1. You get the seat when one frees up.');
    await expect
      .poll(() => bobCard.getByTestId('seats').textContent())
      .toBe('1 going · full (1 place) · 1 on the waitlist');

    // "Add to calendar": a real link for both; the file is the event in RFC 5545.
    for (const card of [aliceCard, bobCard]) {
      expect(await card.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href')).toMatch(
        /^data:text\/calendar/,
      );
    }
    const [download] = await Promise.all([
      bob.page.waitForEvent('download'),
      bobCard.getByRole('link', { name: 'Add to calendar (.ics)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Rooftop-meetup.ics');
    const ics = readFileSync(await download.path(), 'utf8');
    const stamp = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('SUMMARY:Rooftop meetup\r\n');
    expect(ics).toContain(`DTSTART:${stamp(start)}\r\n`);
    expect(ics).toContain(`DTEND:${stamp(end)}\r\n`);
    expect(ics).toContain('LOCATION:1 Roof Street\\, Lisbon\r\n');
    await bob.page.screenshot({ path: `${ARTIFACTS_DIR}events.png`, fullPage: true });
  }, 60_000);

  it('a member joins a paid tier through Stripe Checkout and holds it once Stripe’s webhooks arrive', async () => {
    // Priced tiers need the connected account, which the card tip above proved is there.
    await call(creator, 'POST', `/v1/communities/${slug}/tiers`, {
      name: 'Supporters',
      description: 'Keep the lights on.',
      rank: 5,
      perks: [],
      price: { value: '1000', currency: 'usd', interval: 'month' },
      gate: { type: 'subscription' },
    });
    const { page } = bob;
    await page.goto(`${stack.origin}/c/${slug}`);
    const tier = page.locator('[data-tier="Supporters"]');
    await tier.getByRole('button', { name: 'Join for 10.00 USD / month' }).click();
    // The app sends the browser to Stripe Checkout (the double's page).
    await page.waitForURL(/\/pay\/cs_test_\w+$/);
    const session = stripe.objects.get(/\/pay\/(cs_test_\w+)$/.exec(page.url())?.[1] ?? '') as StripeObject;
    const subscription = stripe.put(
      stripeSubscription({
        customer: `cus_${bob.address.slice(2, 12)}`,
        priceId: (session.line_items as { price: string }[])[0]?.price as string,
        metadata: (session.subscription_data as { metadata: Record<string, string> }).metadata,
        status: 'active',
        amount: 1000,
      }),
    );
    Object.assign(session, {
      status: 'complete',
      customer: subscription.customer,
      subscription: subscription.id,
    });
    expect(await deliverStripeEvent(stack.gateway, stripe, 'checkout.session.completed', session)).toBe(200);
    expect(
      await deliverStripeEvent(stack.gateway, stripe, 'invoice.paid', stripeInvoice(subscription, 'paid')),
    ).toBe(200);
    // Stripe sends the member back to the success URL the app chose; the page waits for the
    // subscription (the webhooks are handled asynchronously) without a reload.
    const successUrl = String(session.success_url);
    expect(successUrl).toBe(`${stack.origin}/c/${slug}?checkout=success`);
    await page.goto(successUrl);
    await expect
      .poll(() => page.getByTestId('membership').textContent(), { timeout: 15_000 })
      .toMatch(/You are a Supporters member through an active paid subscription/);
    await expect.poll(() => page.getByTestId('payment-pending').count()).toBe(0);
  }, 60_000);

  it('a member answers the NPS question with the keyboard, once: it does not come back this survey period', async () => {
    const { page } = alice;
    await page.goto(`${stack.origin}/c/${slug}`);
    await expect.poll(() => page.getByTestId('membership').textContent()).toMatch(/You are a Friends member/);
    const survey = page.getByTestId('nps');
    await survey.waitFor();
    expect(await survey.getByRole('group').textContent()).toMatch(
      /How likely are you to recommend Rooftop Friends/,
    );
    await survey.getByRole('radio', { name: '10 (very likely)' }).focus();
    await page.keyboard.press('Space');
    expect(await survey.getByRole('radio', { name: '10 (very likely)' }).isChecked()).toBe(true);
    await survey.getByLabel('Anything to add? (optional)').fill('Great people.');
    await survey.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('nps-thanks').textContent()).toBe('Thank you for your answer.');

    await page.reload();
    await expect.poll(() => page.getByTestId('membership').textContent()).toMatch(/You are a Friends member/);
    expect(await page.getByTestId('nps').count()).toBe(0);
  }, 60_000);

  it('the creator sees the members with their tier, why they hold it, and their role', async () => {
    const page = creator.page;
    await page.goto(`${stack.origin}/c/${slug}/members`);
    const table = page.getByTestId('members');
    await table.waitFor();
    for (const who of [alice, bob]) {
      const row = table.getByRole('row', { name: new RegExp(short(who.address)) });
      await expect
        .poll(() => row.textContent())
        .toContain(who === bob ? 'Supporters (rank 5)' : 'Friends (rank 1)');
      expect(await row.textContent()).toContain(
        who === bob ? 'paid subscription' : `allowlist (${short(who.address)})`,
      );
    }
  }, 60_000);

  it('the creator’s dashboard shows the tips and the NPS answer, draws the series, and exports it as CSV', async () => {
    const page = creator.page;
    await page.goto(`${stack.origin}/c/${slug}/dashboard`);
    const refresh = page.getByRole('button', { name: 'Refresh' });
    // Analytics projects the streams asynchronously: refresh until both tips and the answer count.
    await expect
      .poll(
        async () => {
          await refresh.click();
          await page.getByTestId('kpi-tips').waitFor();
          return `${await page.getByTestId('kpi-tips').textContent()} | ${await page.getByTestId('kpi-nps').textContent()}`;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('Tips25.00 USD · 0.01 ETH | NPS+100−100 to +100');
    await expect
      .poll(
        async () => {
          await refresh.click();
          return page.getByTestId('kpi-mrr').textContent();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('MRR10.00 USDARPU 10.00 USD');
    expect(await page.getByTestId('kpi-dau-mau').textContent()).toMatch(/^DAU \/ MAU\d+ \/ \d+/);
    expect(await page.getByRole('alert').count()).toBe(0);

    // This month's cohort of paying members: Bob, still paying.
    const month = new Date().toISOString().slice(0, 7);
    const heatmap = page.getByTestId('cohort-heatmap');
    await expect
      .poll(
        async () => {
          await refresh.click();
          return heatmap.getByRole('row', { name: new RegExp(`^${month}`) }).textContent();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toMatch(new RegExp(`^${month}1100%`));
    const [cohortFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download cohorts as CSV' }).click(),
    ]);
    expect(readFileSync(await cohortFile.path(), 'utf8')).toMatch(
      new RegExp(`^cohort,size,m0(,m\\d+)*\r\n${month},1,1(,[\\d.]*)*\r\n$`),
    );

    await page.getByLabel('Metric').selectOption('tips');
    // One chart per asset (amounts are never converted), each with its own axis.
    const charts = page.getByTestId('timeseries-chart');
    await expect.poll(() => charts.count()).toBe(2);
    expect(await charts.nth(0).getAttribute('aria-label')).toMatch(
      /^Tip volume \(ETH\) per day: 3[01] points from .*; latest Tip volume \(ETH\) 0\.01$/,
    );
    expect(await charts.nth(1).getAttribute('aria-label')).toMatch(
      /^Tip volume \(USD\) per day: 3[01] points from .*; latest Tip volume \(USD\) 5$/,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download Tip volume as CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('t,native:31337,usd');
    expect(lines.filter((line) => line.endsWith(',10000000000000000,500'))).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(28);

    await page.screenshot({ path: `${ARTIFACTS_DIR}dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing wider than a phone: the chart scales, tables scroll inside their box.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS_DIR}dashboard-phone.png`, fullPage: true });
  }, 60_000);

  it('reported no CSP violation or uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
