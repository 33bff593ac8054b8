/**
 * The console end to end in a real browser: Debian's Chromium, driven by playwright-core, against
 * a real node:http server running Doitong with the sandbox catalog, the console bundle built by
 * this package's own build, an admin credential and a webhook receiver on loopback. It covers an
 * account (gallery with players, filters, a generation followed live and one cancelled, details,
 * credits, usage, webhooks and a redelivery), the operators (a wrong credential refused, accounts,
 * a top-up, provider health and the queue), keyboard-only use and a phone's viewport. Screenshots
 * go to test-results/console/, and to docs/console/ with `UPDATE_DOCS_SCREENSHOTS=1`.
 * It fails, never skips, when Chromium is missing: .ci/run installs it; no browser is downloaded.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxProviders } from '@doitong/sandbox';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually } from '@doitong/core/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleBundle } from '../../src/index';
import { buildApp } from '../../scripts/build-app';

const chromiumPath = '/usr/bin/chromium';
const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const results = join(repository, 'test-results', 'console');
const docs = join(repository, 'docs', 'console');
const adminKey = 'console-test-admin-credential-0123456789';
const work = mkdtempSync(join(tmpdir(), 'doitong-console-'));

let doitong: Doitong;
let server: Server;
let receiver: Server;
let browser: Browser;
let origin = '';
let consoleUrl = '';
let apiKey = '';
let accountId = '';
let receiverCalls = 0;
const outside: string[] = [];
const pageErrors: string[] = [];
/** What the browser logged as errors: a load the Content-Security-Policy blocked, a failed request. */
const consoleErrors: string[] = [];

async function graphql<Data>(query: string, variables: Record<string, unknown> = {}, key = apiKey, path = '/graphql'): Promise<Data> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function generate(type: string, provider: string, text: string, options: Record<string, unknown> = {}): Promise<string> {
  const data = await graphql<{ generate: { id: string } }>('mutation ($input: GenerateInput!) { generate(input: $input) { id } }', {
    input: { type, provider, input: { text }, options },
  });
  return data.generate.id;
}

const until = <Value>(read: () => Promise<Value>, check: (value: Value) => boolean, milliseconds = 60_000): Promise<Value> =>
  eventually(read, check, { timeoutMilliseconds: milliseconds, intervalMilliseconds: 100 });

const status = (id: string) =>
  graphql<{ generation: { status: string } }>('query ($id: ID!) { generation(id: $id) { status } }', { id }).then((data) => data.generation.status);

async function listen(target: Server): Promise<number> {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return (target.address() as AddressInfo).port;
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  // The bundle exactly as the package build makes it, into a folder of this run.
  const bundle = consoleBundle({ directory: await buildApp(join(work, 'app')) });
  // A receiver that refuses the first delivery and takes the rest, so a delivery shows a retry.
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(receiverCalls++ === 0 ? 500 : 204).end());
  });
  const receiverPort = await listen(receiver);
  doitong = createDoitong({
    providers: sandboxProviders({ latencyMilliseconds: 2_500, maxVideoResolution: 240 }),
    logger: silentLogger,
    assets: { directory: join(work, 'assets') },
    admin: { key: adminKey },
    console: { bundle },
    webhooks: { allowPrivateUrls: true, retrySchedule: [200, 400, 800] },
    // Two provider failures in a row open a circuit, for the operators' view.
    health: { failureThreshold: 2, coolDownSeconds: 600 },
  });
  server = createServer(doitong.nodeListener({ path: '/graphql' }));
  origin = `http://127.0.0.1:${await listen(server)}`;
  consoleUrl = `${origin}/graphql/console/`;
  const created = await doitong.accounts.create({ name: 'Studio Aurora', plan: 'pro', credits: 2_000 });
  apiKey = created.apiKey;
  accountId = created.account.id;
  await doitong.accounts.create({ name: 'Night Owl Films', plan: 'starter', credits: 150 });
  await graphql('mutation ($url: String!) { createWebhookEndpoint(url: $url, description: "render farm") { secret } }', {
    url: `http://127.0.0.1:${receiverPort}/hooks`,
  });
  const ids = [
    await generate('IMAGE', 'flux-ultra', 'A lighthouse on a cliff at dawn, oil painting', { sandboxLatencyMilliseconds: 0 }),
    await generate('AUDIO', 'elevenlabs', 'Welcome to the studio. Your render is ready.', { sandboxLatencyMilliseconds: 0 }),
    await generate('VIDEO', 'minimax', 'A paper boat drifting down a rainy street', { sandboxLatencyMilliseconds: 0, duration: 6 }),
    await generate('IMAGE', 'stable-diffusion', 'A refused prompt', { sandbox: 'fail', sandboxLatencyMilliseconds: 0 }),
  ];
  for (const id of ids)
    await until(
      () => status(id),
      (value) => value === 'COMPLETED' || value === 'FAILED',
    );
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  mkdirSync(results, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await doitong?.close();
  server?.close();
  receiver?.close();
  rmSync(work, { recursive: true, force: true });
  // Everything the console loaded came from the server itself, nothing was blocked, and no page threw.
  expect(outside).toEqual([]);
  expect(pageErrors).toEqual([]);
  // The one refusal the operators' test asks for (a wrong credential) is logged by the browser as a failed load.
  expect(consoleErrors.filter((message) => !/^Failed to load resource: the server responded with a status of 403\b/.test(message))).toEqual([]);
});

async function open(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !/^(data|blob):/.test(request.url())) outside.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(consoleUrl);
  return { context, page };
}

async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const fullPage = options.fullPage ?? true;
  await page.screenshot({ path: join(results, `${name}.png`), fullPage });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: join(docs, `${name}.png`), fullPage });
  }
}

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  await page.getByRole('heading', { name: 'Generations', level: 1 }).waitFor();
}

/** Whether an <img>, <audio> or <video> has loaded enough to show or play (decoded size, or metadata). */
const loaded = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const media = element as unknown as { tagName: string; naturalWidth?: number; complete?: boolean; readyState?: number; duration?: number };
      return media.tagName === 'IMG' ? Boolean(media.complete && media.naturalWidth! > 0) : (media.readyState ?? 0) >= 1 && (media.duration ?? 0) > 0;
    }),
  );

describe('the console for an account', () => {
  it('shows the gallery with working players, filters it, follows a new generation live, cancels one and explains one', async () => {
    const { context, page } = await open();
    const streams: string[] = [];
    page.on('request', (request) => {
      if ((request.headers().accept ?? '').includes('text/event-stream')) streams.push(request.url());
    });
    await signIn(page);
    const cards = page.locator('.gallery .card');
    await expect.poll(() => cards.count()).toBe(4);
    // The players load the real files through the signed links.
    await expect.poll(() => loaded(page, '.gallery img.preview'), { timeout: 20_000 }).toEqual([true]);
    await expect.poll(() => loaded(page, '.gallery audio'), { timeout: 20_000 }).toEqual([true]);
    await expect.poll(() => loaded(page, '.gallery video'), { timeout: 20_000 }).toEqual([true]);
    expect(await page.locator('.card[data-status="FAILED"] .error-line').innerText()).toContain('GENERATION_FAILED');

    const filters = page.getByRole('form', { name: 'Filter generations' });
    await filters.getByLabel('Type').selectOption('AUDIO');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().locator('.meta').innerText()).toContain('audio');
    await filters.getByLabel('Type').selectOption('');
    await filters.getByLabel('Status').selectOption('FAILED');
    await expect.poll(() => cards.count()).toBe(1);
    await filters.getByLabel('Status').selectOption('');
    await expect.poll(() => cards.count()).toBe(4);

    // A new video from the form, followed over the subscription to the end, its progress shown.
    await page.getByText('New generation').click();
    const form = page.getByRole('form', { name: 'New generation' });
    await form.getByLabel('Type').selectOption('VIDEO');
    await expect.poll(() => form.getByLabel('Provider').locator('option').count()).toBeGreaterThan(1);
    // The provider is left to automatic selection, so the details explain a real choice.
    expect(await form.getByLabel('Provider').inputValue()).toBe('');
    await form.getByLabel('Prompt').fill('A hot air balloon over green hills');
    await form.getByRole('button', { name: 'Generate' }).click();
    const fresh = cards.first();
    await expect.poll(() => fresh.locator('.prompt').innerText()).toBe('A hot air balloon over green hills');
    await fresh
      .locator('.card[data-status="PROCESSING"], progress')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const value = await fresh.getAttribute('data-status');
          if (value) seen.add(value);
          return value;
        },
        { timeout: 60_000, interval: 50 },
      )
      .toBe('COMPLETED');
    expect(seen.has('PROCESSING') || seen.has('PENDING')).toBe(true);
    // The end is announced to screen readers in a polite live region.
    await expect.poll(() => page.getByTestId('announcement').innerText()).toBe('A hot air balloon over green hills: completed');
    expect(streams.length).toBeGreaterThan(0);
    await expect.poll(() => loaded(page, '.gallery video'), { timeout: 20_000 }).toEqual([true, true]);

    // One that would never end, cancelled from its card.
    const endless = await generate('IMAGE', 'flux-ultra', 'A cathedral made of glass', { sandbox: 'timeout' });
    await page.reload();
    const card = page.locator(`.card[data-id="${endless}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: `Cancel ${endless}` }).click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 20_000 }).toBe('CANCELLED');

    // Details: routing in words, attempts, cost and timings.
    const balloon = page.locator('.card', { hasText: 'A hot air balloon over green hills' });
    await balloon.getByRole('button', { name: /^Details of / }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { level: 2 }).waitFor();
    await expect.poll(() => dialog.locator('.routing-reason').count()).toBe(1);
    const chosen = await graphql<{ generations: { nodes: Array<{ provider: string; routing: { reason: string; candidates: unknown[] } }> } }>(
      '{ generations(first: 1, type: VIDEO) { nodes { provider routing { reason candidates { provider } } } } }',
    );
    const routed = chosen.generations.nodes[0]!;
    expect(routed.routing.candidates.length).toBeGreaterThan(1);
    const text = await dialog.innerText();
    expect(await dialog.locator('.routing-reason').innerText()).toBe(routed.routing.reason);
    expect(await dialog.getByRole('region', { name: 'Candidates' }).locator('tbody tr').count()).toBe(routed.routing.candidates.length);
    expect(text).toMatch(/Cost\s+\d+ credits/);
    expect(text).toMatch(/Ran for\s+[\d.]+ s/);
    expect(await dialog.getByRole('region', { name: 'Attempts' }).innerText()).toContain(routed.provider);
    expect(await dialog.getByRole('region', { name: 'Attempts' }).innerText()).toMatch(/succeeded/);
    await screenshot(page, 'generation-details', { fullPage: false });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await screenshot(page, 'generations');
    await context.close();
  });

  it('shows credits and the ledger, usage as a chart, and webhook deliveries with their attempts, and redelivers one', async () => {
    const { context, page } = await open();
    await signIn(page);
    await page.getByRole('link', { name: 'Credits' }).click();
    await page.getByRole('heading', { name: 'Credits', level: 1 }).waitFor();
    const balance = await graphql<{ me: { credits: number } }>('{ me { credits } }');
    await expect.poll(() => page.locator('.balance').innerText()).toBe(String(balance.me.credits));
    const ledger = page.getByRole('region', { name: 'Credit ledger, newest first' });
    await expect.poll(() => ledger.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await ledger.innerText()).toMatch(/top-up[\s\S]*\+2000/);
    expect(await ledger.innerText()).toMatch(/refund/);
    await screenshot(page, 'credits');

    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    const chart = page.getByRole('img', { name: /Credits spent per day/ });
    await chart.waitFor();
    expect(await chart.locator('rect.bar').count()).toBe(14);
    // Each day's row against the account's generations of that day (UTC), today's and yesterday's.
    const all = await graphql<{ generations: { nodes: Array<{ status: string; creditCost: number; createdAt: string }> } }>(
      '{ generations(first: 100) { nodes { status creditCost createdAt } } }',
    );
    for (const day of new Set(all.generations.nodes.map((entry) => entry.createdAt.slice(0, 10)))) {
      const cells = await page.getByRole('region', { name: 'Usage by day' }).locator('tr', { hasText: day }).locator('td').allInnerTexts();
      const ofDay = all.generations.nodes.filter((entry) => entry.createdAt.startsWith(day));
      expect(Number(cells[1])).toBe(ofDay.length);
      const spent = ofDay.filter((entry) => entry.status !== 'FAILED' && entry.status !== 'CANCELLED').reduce((sum, entry) => sum + entry.creditCost, 0);
      expect(Number(cells[3])).toBe(spent);
    }
    await screenshot(page, 'usage');

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Webhook endpoints' }).innerText()).toContain('/hooks');
    const deliveries = page.locator('.delivery');
    await expect.poll(() => deliveries.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // The first delivery was refused (HTTP 500) and then taken on its retry.
    await until(
      async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
        return page.locator('.delivery', { hasText: 'HTTP 500' }).count();
      },
      (count) => count > 0,
      30_000,
    );
    const retried = page.locator('.delivery', { hasText: 'HTTP 500' }).first();
    await expect.poll(() => retried.innerText(), { timeout: 20_000 }).toContain('HTTP 204');
    const attemptsBefore = await retried.locator('tbody tr').count();
    const id = (await retried.getByRole('button', { name: /^Redeliver / }).getAttribute('aria-label'))!.replace('Redeliver ', '');
    await retried.getByRole('button', { name: /^Redeliver / }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Delivery ${id} sent again.` })
          .count(),
      )
      .toBe(1);
    await until(
      async () => {
        const data = await graphql<{ webhookDelivery: { attempts: unknown[] } }>('query ($id: ID!) { webhookDelivery(id: $id) { attempts { number } } }', {
          id,
        });
        return data.webhookDelivery.attempts.length;
      },
      (count) => count > attemptsBefore,
      20_000,
    );
    await page.reload();
    await expect
      .poll(
        () =>
          page
            .locator('.delivery', { has: page.getByRole('button', { name: `Redeliver ${id}` }) })
            .locator('tbody tr')
            .count(),
        { timeout: 20_000 },
      )
      .toBe(attemptsBefore + 1);
    await screenshot(page, 'webhooks');
    await context.close();
  });
});

describe('the console for operators', () => {
  it('refuses a wrong credential with its code, then lists accounts, tops one up and shows providers and the queue', async () => {
    const { context, page } = await open();
    await page.getByLabel('Admin credential').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).nth(1).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('FORBIDDEN');
    await page.getByLabel('Admin credential').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).nth(1).click();
    await page.getByRole('heading', { name: 'Accounts and plans', level: 1 }).waitFor();
    const table = page.getByRole('region', { name: 'Accounts, newest first' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    const row = table.locator(`tr[data-account="${accountId}"]`);
    const before = Number(await row.locator('td.number').innerText());
    await row.getByLabel('Credits to add to Studio Aurora').fill('250');
    await row.getByRole('button', { name: 'Add credits to Studio Aurora' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain(`the balance is ${before + 250}`);
    await expect.poll(() => row.locator('td.number').innerText()).toBe(String(before + 250));
    expect((await graphql<{ me: { credits: number } }>('{ me { credits } }')).me.credits).toBe(before + 250);
    expect(await page.getByRole('region', { name: 'Plans', exact: true }).innerText()).toMatch(/Pro[\s\S]*60/);
    await screenshot(page, 'operators-accounts');

    // A provider down twice in a row (its circuit opens), and a generation still running (a poll in the queue).
    const down = [
      await generate('VIDEO', 'kling', 'A storm at sea', { sandbox: 'unavailable' }),
      await generate('VIDEO', 'kling', 'A storm at sea, again', { sandbox: 'unavailable' }),
    ];
    for (const id of down)
      await until(
        () => status(id),
        (value) => value === 'FAILED',
      );
    const running = await generate('IMAGE', 'flux-pro', 'A slow sunrise', { sandbox: 'timeout' });
    await until(
      () => status(running),
      (value) => value === 'PROCESSING',
    );
    await page.getByRole('link', { name: 'Providers and queue' }).click();
    await page.getByRole('heading', { name: 'Providers and queue', level: 1 }).waitFor();
    const health = page.getByRole('region', { name: 'Provider health' });
    await expect.poll(() => health.locator('tbody tr').count()).toBeGreaterThan(10);
    expect(await health.locator('tr[data-provider="flux-ultra"]').innerText()).toMatch(/closed[\s\S]*100%/);
    expect(await health.locator('tr[data-provider="kling"]').innerText()).toMatch(/open[\s\S]*0%[\s\S]*\b2\b/);
    const depth = (await page.getByRole('definition').allInnerTexts()).map(Number);
    expect(depth).toHaveLength(3);
    // The running generation's next poll is waiting, running or delayed, whichever the moment.
    expect(depth.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('region', { name: 'Generations on this instance' }).innerText()).toMatch(/60 minutes\s+\d+/);
    await screenshot(page, 'operators-providers');
    await context.close();
  });
});

describe('the console without a mouse, and on a phone', () => {
  it('is usable with the keyboard alone: labelled fields, a visible focus, a details dialog that gives focus back', async () => {
    const { context, page } = await open();
    // Read in the page (the DOM's types are not in this project's lib, so as expressions).
    const focused = () =>
      page.evaluate<{ tag: string; id: string; label: string } | null>(
        `(() => { const element = document.activeElement; return element ? { tag: element.tagName, id: element.id, label: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '' } : null; })()`,
      );
    const outline = () => page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    // First stop: the skip link, then the navigation, then the key field.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', label: 'Skip to content' });
    expect(await outline()).not.toBe('none');
    for (let step = 0; step < 10 && (await focused())?.id !== 'account-key'; step++) await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'INPUT', id: 'account-key' });
    expect(await outline()).not.toBe('none');
    await page.keyboard.type(apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Generations', level: 1 }).waitFor();
    // Focus moved to the new page's heading; Tab then walks the page in order to the first card's Details.
    expect(await focused()).toMatchObject({ tag: 'H1' });
    for (let step = 0; step < 30 && !(await focused())?.label.startsWith('Details of'); step++) await page.keyboard.press('Tab');
    const opener = await focused();
    expect(opener?.label).toMatch(/^Details of gen_/);
    expect(await outline()).not.toBe('none');
    await screenshot(page, 'keyboard-focus', { fullPage: false });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focused()).toMatchObject({ tag: 'BUTTON', label: 'Close' });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await focused())?.label).toBe(opener?.label);
    // Every form control on the page has a name a screen reader reads out.
    const unnamed = await page.locator('input, select, textarea, button').evaluateAll((elements) =>
      elements
        .filter((element) => {
          const control = element as unknown as { labels?: ArrayLike<unknown> | null; getAttribute(name: string): string | null; textContent: string | null };
          return !(control.labels && control.labels.length > 0) && !control.getAttribute('aria-label') && !control.textContent?.trim();
        })
        .map((element) => (element as unknown as { outerHTML: string }).outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    // The navigation by keyboard: to Credits and back.
    await page.getByRole('link', { name: 'Credits' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Credits', level: 1 }).waitFor();
    await context.close();
  });

  it('reads on a phone: one column, nothing wider than the screen, the players in reach', async () => {
    const { context, page } = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await signIn(page);
    const cards = page.locator('.gallery .card');
    await expect.poll(() => cards.count()).toBeGreaterThan(3);
    const boxes = await cards.evaluateAll((elements) =>
      elements
        .map((element) => (element as unknown as { getBoundingClientRect(): { x: number; width: number } }).getBoundingClientRect())
        .map((box) => ({ x: Math.round(box.x), width: Math.round(box.width) })),
    );
    // One column: every card starts at the same place and takes the width of the screen less the margins.
    expect(new Set(boxes.map((box) => box.x)).size).toBe(1);
    for (const box of boxes) expect(box.width).toBeGreaterThan(330);
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Pictures load lazily, as they come into view.
    await page.locator('.gallery img.preview').scrollIntoViewIfNeeded();
    await expect.poll(() => loaded(page, '.gallery img.preview'), { timeout: 20_000 }).toEqual([true]);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'phone-generations', { fullPage: false });
    await page.getByRole('link', { name: 'Credits' }).click();
    await page.getByRole('heading', { name: 'Credits', level: 1 }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-credits');
    await context.close();
  });
});
