import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo, type DemoServer } from '../../express-server/test/demo-server';

let server: DemoServer;
beforeAll(async () => {
  server = await startDemo(fileURLToPath(new URL('..', import.meta.url)), { DOITONG_DEMO_PLAN: 'starter', DOITONG_DEMO_CREDITS: '500' });
}, 90_000);
afterAll(async () => server?.stop());

it('starts with the configured plan and credits and serves generations and the host’s own routes', async () => {
  const response = await fetch(server.endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ me { credits plan { id } } }' }),
  });
  expect(await response.json()).toEqual({ data: { me: { credits: 500, plan: { id: 'starter' } } } });
  expect(response.headers.get('x-ratelimit-limit')).toBe('600');
  const home = await fetch(server.endpoint.replace('/graphql', '/'));
  expect(await home.text()).toContain('embeds Doitong');
});
