import { createDoitong, type DoitongOptions, silentLogger } from '@doitong/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The fake provider, the manual clock, `eventually` and `queueIdle` are public, for hosts' own tests too.
export { eventually, fakeProvider, manualClock, queueIdle, type FakeProviderOptions } from '@doitong/core/testing';

/** Closes without a drain unless a test asks for one: most tests end with work still in flight. */
export function testDoitong(options: DoitongOptions = {}) {
  return createDoitong({
    drainSeconds: 0,
    logger: process.env.DEBUG_TESTS ? undefined : silentLogger,
    assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-test-')) },
    ...options,
  });
}

/** Calls the handler directly, as a binding would. */
export async function post(doitong: ReturnType<typeof createDoitong>, apiKey: string | null, body: unknown, headers: Record<string, string> = {}) {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...lower(headers) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    baseUrl: 'http://localhost/graphql',
  });
  const text = typeof response.body === 'string' ? response.body : '';
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

function lower(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
