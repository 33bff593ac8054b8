import { describe, expect, it } from 'vitest';
import type { ConsoleBundle } from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';

const adminKey = 'admin_0123456789abcdef0123';

async function admin(doitong: ReturnType<typeof testDoitong>, key: string | null, query: string, variables: Record<string, unknown> = {}) {
  const response = await doitong.handle({
    method: 'POST',
    url: '/admin',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
    baseUrl: 'http://localhost/graphql',
  });
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(response.body as string) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> },
  };
}

describe('the admin API', () => {
  it('answers the admin credential only: none is UNAUTHENTICATED, an account key or a wrong one is FORBIDDEN', async () => {
    const doitong = testDoitong({ admin: { key: adminKey } });
    const { apiKey } = await doitong.accounts.create({ credits: 10 });
    const missing = await admin(doitong, null, '{ plans { id } }');
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const account = await admin(doitong, apiKey, '{ plans { id } }');
    expect(account.status).toBe(403);
    expect(account.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const wrong = await admin(doitong, `${adminKey}x`, '{ plans { id } }');
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(wrong.body)).not.toMatch(/at .*\.ts:\d+/);
    const right = await admin(doitong, adminKey, '{ plans { id } }');
    expect(right.status).toBe(200);
    expect(right.body.data.plans.map((plan: { id: string }) => plan.id)).toEqual(['free', 'starter', 'pro', 'enterprise']);
    // The admin key is no account key either: the public API refuses it.
    expect((await post(doitong, adminKey, { query: '{ me { id } }' })).status).toBe(401);
    await doitong.close();
  });

  it('is not there unless the host configures a credential, and refuses a short one', async () => {
    const doitong = testDoitong();
    const response = await admin(doitong, adminKey, '{ plans { id } }');
    expect(response.status).toBe(404);
    expect(response.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    await doitong.close();
    expect(() => testDoitong({ admin: { key: 'short' } })).toThrow(/at least 16/);
  });

  it('lists accounts newest first, creates one and tops its credits up, each entry in its ledger', async () => {
    const doitong = testDoitong({ admin: { key: [adminKey, 'second_admin_key_0123456789'] } });
    const first = await doitong.accounts.create({ name: 'First', credits: 5 });
    const second = await doitong.accounts.create({ name: 'Second', plan: 'pro', credits: 7 });
    const listed = await admin(
      doitong,
      adminKey,
      '{ accounts(first: 10) { nodes { id name planId plan { concurrent } credits mode } pageInfo { hasNextPage } } }',
    );
    expect(listed.body.data.accounts.nodes).toEqual([
      { id: second.account.id, name: 'Second', planId: 'pro', plan: { concurrent: 10 }, credits: 7, mode: 'TEST' },
      { id: first.account.id, name: 'First', planId: 'free', plan: { concurrent: 1 }, credits: 5, mode: 'TEST' },
    ]);
    const page = await admin(doitong, 'second_admin_key_0123456789', '{ accounts(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }');
    expect(page.body.data.accounts.nodes).toEqual([{ id: second.account.id }]);
    const rest = await admin(doitong, adminKey, 'query ($after: String) { accounts(first: 5, after: $after) { nodes { id } pageInfo { hasNextPage } } }', {
      after: page.body.data.accounts.pageInfo.endCursor,
    });
    expect(rest.body.data.accounts).toEqual({ nodes: [{ id: first.account.id }], pageInfo: { hasNextPage: false } });

    const topUp = await admin(
      doitong,
      adminKey,
      'mutation ($id: ID!) { topUpCredits(accountId: $id, amount: 40, note: "support ticket 12") { type amount balanceAfter note } }',
      { id: first.account.id },
    );
    expect(topUp.body.data.topUpCredits).toEqual({ type: 'TOP_UP', amount: 40, balanceAfter: 45, note: 'support ticket 12' });
    const me = await post(doitong, first.apiKey, { query: '{ me { credits } creditTransactions(first: 1) { nodes { type amount note } } }' });
    expect(me.body.data).toEqual({ me: { credits: 45 }, creditTransactions: { nodes: [{ type: 'TOP_UP', amount: 40, note: 'support ticket 12' }] } });

    const refused = await admin(doitong, adminKey, 'mutation ($id: ID!) { topUpCredits(accountId: $id, amount: -3) { id } }', { id: first.account.id });
    expect(refused.body.errors?.[0]?.extensions.code).toBe('INVALID_INPUT');
    const unknown = await admin(doitong, adminKey, 'mutation { topUpCredits(accountId: "acct_missing", amount: 3) { id } }');
    expect(unknown.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');

    const created = await admin(
      doitong,
      adminKey,
      'mutation { createAccount(input: { name: "Third", plan: "starter", credits: 12 }) { apiKey account { id name planId credits transactions { nodes { type amount } } } } }',
    );
    const third = created.body.data.createAccount;
    expect(third.apiKey).toMatch(/^dk_test_/);
    expect(third.account).toMatchObject({ name: 'Third', planId: 'starter', credits: 12, transactions: { nodes: [{ type: 'TOP_UP', amount: 12 }] } });
    expect((await post(doitong, third.apiKey, { query: '{ me { id } }' })).body.data.me.id).toBe(third.account.id);
    const badPlan = await admin(doitong, adminKey, 'mutation { createAccount(input: { plan: "platinum" }) { apiKey } }');
    expect(badPlan.body.errors?.[0]?.extensions.code).toBe('INVALID_INPUT');
    await doitong.close();
  });

  it('shows provider health with the circuit, the queue depth and this instance’s rates', async () => {
    const failing = fakeProvider({ id: 'flaky', types: ['IMAGE'], outcome: 'reject' });
    const doitong = testDoitong({ admin: { key: adminKey }, providers: [failing.adapter], health: { failureThreshold: 1, coolDownSeconds: 600 } });
    const { apiKey } = await doitong.accounts.create({ credits: 100 });
    const before = await admin(
      doitong,
      adminKey,
      '{ providers { id livemode circuit samples successRate } queue { depth { waiting active delayed } rates { minutes created failed } } }',
    );
    expect(before.body.data.providers).toEqual([{ id: 'flaky', livemode: false, circuit: 'CLOSED', samples: 0, successRate: null }]);
    expect(before.body.data.queue.depth).toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect(before.body.data.queue.rates).toEqual([
      { minutes: 1, created: 0, failed: 0 },
      { minutes: 60, created: 0, failed: 0 },
    ]);
    const generated = await post(doitong, apiKey, {
      query: 'mutation { generate(input: { type: IMAGE, provider: "flaky", input: { text: "a cat" } }) { id } }',
    });
    const id = generated.body.data.generate.id as string;
    await eventually(
      () => doitong.getGeneration(id),
      (generation) => generation?.status === 'FAILED',
    );
    const after = await eventually(
      () => admin(doitong, adminKey, '{ providers { id circuit samples successRate consecutiveFailures } queue { rates { minutes created failed } } }'),
      (response) => response.body.data.providers[0].circuit === 'OPEN',
    );
    expect(after.body.data.providers).toEqual([{ id: 'flaky', circuit: 'OPEN', samples: 1, successRate: 0, consecutiveFailures: 1 }]);
    expect(after.body.data.queue.rates).toEqual([
      { minutes: 1, created: 1, failed: 1 },
      { minutes: 60, created: 1, failed: 1 },
    ]);
    await doitong.close();
  });
});

describe('the console route', () => {
  const bundle: ConsoleBundle = {
    files: {
      'index.html': { body: '<!doctype html><title>Console</title>', contentType: 'text/html; charset=utf-8' },
      'console.js': { body: new TextEncoder().encode('console.log(1)'), contentType: 'text/javascript; charset=utf-8' },
    },
  };
  const get = (doitong: ReturnType<typeof testDoitong>, url: string, headers: Record<string, string> = {}) =>
    doitong.handle({ method: 'GET', url, headers: { accept: 'text/html', ...headers }, baseUrl: 'http://localhost/graphql' });

  it('serves the bundle under <mount>/console/ with its security headers, and revalidates by ETag', async () => {
    const doitong = testDoitong({ console: { bundle } });
    const redirect = await get(doitong, '/console');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe('console/');
    const page = await get(doitong, '/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(Buffer.from(page.body as Uint8Array).toString()).toContain('<title>Console</title>');
    const script = await get(doitong, '/console/console.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(doitong, '/console/console.js', { 'if-none-match': script.headers.etag! })).status).toBe(304);
    const missing = await get(doitong, '/console/other.js');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body as string).errors[0].extensions.code).toBe('NOT_FOUND');
    await doitong.close();
  });

  it('is off unless a bundle is given, and off with console: false', async () => {
    for (const options of [{}, { console: false as const }]) {
      const doitong = testDoitong(options);
      expect((await get(doitong, '/console/')).status).toBe(404);
      await doitong.close();
    }
  });
});
