/**
 * GraphiQL end to end in a real browser: Debian's Chromium, driven by playwright-core, opens the
 * demo's mount path, enters the printed test-mode key, sees every example tab free of lint marks,
 * runs the first example (an image), and sees the generation go live in the results panel and end
 * with the image. It fails, never skips, when
 * Chromium is missing: .ci/run installs it (`apt-get install chromium`); no browser is downloaded.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The editors' text and lint marks, read from Monaco (GraphiQL keeps it on `globalThis.__MONACO`). */
interface EditorState {
  operation: string;
  variables: string;
  response: string;
  marks: Array<{ model: string; message: string }>;
}

function editorState(page: Page): Promise<EditorState | undefined> {
  return page.evaluate(() => {
    type Model = { uri: { path: string }; getValue(): string };
    const monaco = (
      globalThis as unknown as {
        __MONACO?: { editor: { getModels(): Model[]; getModelMarkers(filter: object): Array<{ resource: { path: string }; message: string }> } };
      }
    ).__MONACO;
    if (!monaco) return undefined;
    const models = monaco.editor.getModels();
    const value = (name: string) => models.find((model) => model.uri.path.endsWith(name))?.getValue() ?? '';
    return {
      operation: value('operation.graphql'),
      variables: value('variables.json'),
      response: value('response.json'),
      marks: monaco.editor.getModelMarkers({}).map((marker) => ({ model: marker.resource.path.split('/').pop() ?? '', message: marker.message })),
    };
  });
}

/** Replaces the text of the editor whose model is `name` (operation.graphql, variables.json), as typing would. */
function setEditor(page: Page, name: string, text: string): Promise<void> {
  return page.evaluate(
    ([model, value]) => {
      type Model = { uri: { path: string }; setValue(text: string): void };
      const monaco = (globalThis as unknown as { __MONACO: { editor: { getModels(): Model[] } } }).__MONACO;
      monaco.editor
        .getModels()
        .find((candidate) => candidate.uri.path.endsWith(model!))!
        .setValue(value!);
    },
    [name, text],
  );
}

const marksOf = async (page: Page) => (await editorState(page))?.marks ?? [{ model: '', message: 'GraphiQL is not loaded' }];

it('opens GraphiQL at the mount path, with no lint marks on any example, runs a generate with the key, and shows the image when it is ready', async () => {
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
  await expect.poll(async () => (await editorState(page))?.operation ?? '', { timeout: 30_000 }).toContain('mutation GenerateImage');
  // The first tab opens with its variables (the image example's options).
  await expect.poll(async () => (await editorState(page))?.variables ?? '', { timeout: 10_000 }).toContain('"flux-ultra"');

  // With the key, GraphiQL loads the schema and checks the editors against it.
  await page.fill('#doitong-key', demo.apiKey);

  // Every example opens without a lint mark: in particular its `options` (the JSON scalar) are not
  // marked. Each check first breaks the example and sees a mark appear, which shows the linter runs
  // with the schema, then restores it and sees every mark go.
  const tabs = page.locator('.graphiql-tab');
  const tabCount = await tabs.count();
  expect(tabCount).toBe(11);
  for (let index = 0; index < tabCount; index += 1) {
    await tabs.nth(index).locator('.graphiql-tab-button').click();
    await expect.poll(async () => (await editorState(page))?.operation ?? '', { timeout: 10_000 }).toMatch(/\b(query|mutation|subscription)\b/);
    const { operation, variables } = (await editorState(page))!;
    if (variables.trim()) {
      const wrong = Object.fromEntries(Object.keys(JSON.parse(variables) as object).map((name) => [name, [[]]]));
      await setEditor(page, 'variables.json', JSON.stringify(wrong, null, 2));
      await expect.poll(async () => (await marksOf(page)).some((mark) => mark.model.endsWith('variables.json')), { timeout: 30_000 }).toBe(true);
      await setEditor(page, 'variables.json', variables);
    } else {
      await setEditor(page, 'operation.graphql', operation.replace(/\{/, '{ notAField'));
      await expect.poll(async () => (await marksOf(page)).some((mark) => mark.model.endsWith('operation.graphql')), { timeout: 30_000 }).toBe(true);
      await setEditor(page, 'operation.graphql', operation);
    }
    await expect.poll(() => marksOf(page), { timeout: 30_000 }).toEqual([]);
  }

  await tabs.nth(0).locator('.graphiql-tab-button').click();
  await expect.poll(async () => (await editorState(page))?.operation ?? '', { timeout: 10_000 }).toContain('mutation GenerateImage');
  await page.click('.graphiql-execute-button');

  // The mutation's own answer, in GraphiQL's result pane. GraphiQL takes the operation name from the editor a
  // moment after a tab switch: a run sent before that names the last tab's operation and the server refuses it
  // (OPERATION_RESOLUTION_FAILURE, as it must); the run is sent again once GraphiQL has caught up.
  const result = async () => (await editorState(page))?.response ?? '';
  await expect
    .poll(
      async () => {
        const response = await result();
        if (response.includes('OPERATION_RESOLUTION_FAILURE')) await page.click('.graphiql-execute-button');
        return response;
      },
      { timeout: 30_000 },
    )
    .toContain('"status": "PENDING"');
  expect(await result()).toContain('"provider": "flux-ultra"');
  // The linter runs again after a tab switch, asynchronously: wait for it to settle, as above.
  await expect.poll(() => marksOf(page), { timeout: 30_000 }).toEqual([]);
  // Then the results panel follows it live to the end and shows the picture.
  const card = page.locator('.doitong-card').first();
  await expect.poll(() => card.locator('.doitong-status').innerText(), { timeout: 60_000 }).toBe('COMPLETED');
  const image = card.locator('.doitong-preview img');
  await image.waitFor({ timeout: 10_000 });
  // Loaded and decoded by the browser at the generated size (the DOM's types are not in this project's lib).
  const loadedWidth = () =>
    image.evaluate((element) => {
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
}, 300_000);
