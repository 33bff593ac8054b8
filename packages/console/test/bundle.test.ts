import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger } from '@doitong/core';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app';
import { consoleBundle } from '../src/index';

const work = mkdtempSync(join(tmpdir(), 'doitong-console-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('builds a page, one script and one style sheet that load nothing from anywhere else, and core serves them', async () => {
  const bundle = consoleBundle({ directory: await buildApp(join(work, 'app')) });
  expect(Object.keys(bundle.files).sort()).toEqual(['console.css', 'console.js', 'index.html']);
  const text = (name: string) => Buffer.from(bundle.files[name]!.body).toString('utf8');
  // One self-contained module: no import of another file or package, no address to fetch.
  expect(text('console.js')).not.toMatch(/\bimport\s*[\w{*]|import\(|from\s*["']/);
  const addresses = new Set(text('console.js').match(/https?:\/\/[^\s"'`)]+/g) ?? []);
  // XML namespaces (Preact's SVG support) are names, not fetched; the other is a placeholder.
  expect([...addresses].filter((address) => !address.startsWith('http://www.w3.org/'))).toEqual(['https://example.com/webhooks/doitong']);
  expect(text('console.css')).not.toMatch(/@import|url\(/);
  expect(text('index.html')).toMatch(/<script type="module" src="console.js"><\/script>/);

  const doitong = createDoitong({ logger: silentLogger, console: { bundle } });
  const page = await doitong.handle({ method: 'GET', url: '/console/', headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  const script = await doitong.handle({ method: 'GET', url: '/console/console.js', headers: {} });
  expect(Buffer.from(script.body as Uint8Array).toString('utf8')).toBe(text('console.js'));
  await doitong.close();
});

it('says how to build the console when it is not built', () => {
  expect(() => consoleBundle({ directory: join(work, 'missing') })).toThrow(
    /is not built in .*run the package.s build \(pnpm --filter @doitong\/console build\)/,
  );
});
