/**
 * GraphiQL end to end in a real browser: Debian's Chromium, driven by playwright-core, opens the
 * demo's mount path, enters the printed test-mode key, runs the first example (an image), and sees
 * the generation go live in the results panel and end with the image. It fails, never skips, when
 * Chromium is missing: .ci/run installs it (`apt-get install chromium`); no browser is downloaded.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { startDemo, type DemoServer } from '../demo-server';

const chromiumPath = '/usr/bin/chromium';
const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const screenshots = join(repository, 'test-results');
let demo: DemoServer | undefined;
let context: BrowserContext | undefined;
const profile = mkdtempSync(join(tmpdir(), 'doitong-chromium-'));

afterAll(async () => {
  await context?.close();
  await demo?.stop();
  rmSync(profile, { recursive: true, force: true });
});

/** Chromium with a fresh profile and nothing that phones home; checked inside the test, so a missing browser fails it. */
async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

it('opens GraphiQL at the mount path, runs a generate with the key, and shows the image when it is ready', async () => {
  context = await launchChromium();
  demo = await startDemo();
  const page = await context.newPage();
  const outside: string[] = [];
  const origin = new URL(demo.endpoint).origin;
  // Everything the page loads comes from the demo itself: no CDN, works offline.
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) outside.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto(demo.endpoint);
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000 }).toContain('mutation GenerateImage');

  await page.fill('#doitong-key', demo.apiKey);
  await page.click('.graphiql-execute-button');

  // The mutation's own answer, in GraphiQL's result pane.
  const result = () => page.locator('.result-window').innerText();
  await expect.poll(result, { timeout: 30_000 }).toContain('"status": "PENDING"');
  expect(await result()).toContain('"provider": "flux-ultra"');
  // Then the results panel follows it live to the end and shows the picture.
  const card = page.locator('.doitong-card').first();
  await expect.poll(() => card.locator('.doitong-status').innerText(), { timeout: 60_000 }).toBe('COMPLETED');
  const image = card.locator('.doitong-preview img');
  await image.waitFor({ timeout: 10_000 });
  // Loaded and decoded by the browser at the generated size (the DOM's types are not in this project's lib).
  const loadedWidth = () => image.evaluate((element) => {
    const picture = element as unknown as { complete: boolean; naturalWidth: number };
    return picture.complete ? picture.naturalWidth : 0;
  });
  await expect.poll(loadedWidth, { timeout: 20_000 }).toBe(2752);
  expect(await card.locator('.doitong-meta').innerText()).toContain('png · 2752×1536');
  // It was followed live, over the subscription, not polled: the panel saw it processing.
  expect(await card.locator('.doitong-steps').innerText()).toMatch(/^PENDING → PROCESSING.* → COMPLETED/);

  mkdirSync(screenshots, { recursive: true });
  const screenshot = join(screenshots, 'graphiql.png');
  await page.screenshot({ path: screenshot });
  // `UPDATE_DOCS_SCREENSHOT=1` refreshes the README's picture from this very run.
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: join(repository, 'docs', 'graphiql.png') });
  expect(existsSync(screenshot)).toBe(true);

  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
}, 120_000);
