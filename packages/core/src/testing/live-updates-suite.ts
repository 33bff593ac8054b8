import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong, type ProviderAdapter } from '@doitong/core';
import { createClient, type Client, type ExecutionResult } from 'graphql-sse';
import { postGraphQL } from './http-probe';
import type { RunningHost } from './listen';
import type { TestApi } from './test-api';

export interface LiveUpdatesSuiteOptions {
  /** Names the suite in test output: `Express 5`. */
  name: string;
  /** Mounts the binding at `/graphql` in a fresh host app on 127.0.0.1, port 0. */
  start(doitong: Doitong): Promise<RunningHost>;
}

/** A provider the test moves by hand: it accepts when `accept()` is called and finishes when `finish()` is. */
function steppedProvider() {
  let accept!: () => void;
  const accepted = new Promise<void>((resolve) => (accept = resolve));
  let finished = false;
  const adapter: ProviderAdapter = {
    id: 'stepped',
    name: 'Stepped',
    description: 'A provider the test moves by hand.',
    types: ['IMAGE'],
    models: [{ id: 'stepped-1', name: 'Stepped 1' }],
    defaultModel: 'stepped-1',
    features: [],
    limitations: [],
    inputs: { IMAGE: { text: 'required', image: 'unsupported' } },
    options: [],
    traits: { quality: 5, speed: 5, cost: 5 },
    price: () => ({ creditCost: 3, estimatedTime: 1 }),
    livemode: false,
    async start(request) {
      await accepted;
      return { handle: { jobId: request.generationId }, pollAfterMilliseconds: 0 };
    },
    async status() {
      if (!finished) return { state: 'running', progress: 40, pollAfterMilliseconds: 20 };
      return {
        state: 'succeeded',
        outputs: [{ kind: 'bytes', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png', metadata: { width: 1, height: 1, format: 'png' } }],
      };
    },
  };
  return { adapter, accept: () => accept(), finish: () => (finished = true) };
}

const follow = 'subscription Follow($id: ID!) { generationUpdated(id: $id) { id status progress url } }';

/**
 * Live updates through a binding: the `generationUpdated` subscription over Server-Sent Events,
 * read with graphql-sse's own client (distinct connections mode) from a real host app on a
 * loopback port. Register it once per binding, like the binding suite.
 */
export function liveUpdatesTestSuite(test: TestApi, options: LiveUpdatesSuiteOptions): void {
  const { describe, it, beforeAll, afterAll } = test;
  describe(`${options.name} live updates (GraphQL over SSE)`, () => {
    let doitong: Doitong;
    let host: RunningHost;
    let apiKey = '';
    let otherKey = '';
    let assetDirectory = '';
    let provider: ReturnType<typeof steppedProvider>;
    const clients: Client[] = [];
    const client = (key: string | null) => {
      const created = createClient({ url: host.url, headers: key ? { authorization: `Bearer ${key}` } : {}, retryAttempts: 0 });
      clients.push(created);
      return created;
    };

    beforeAll(async () => {
      assetDirectory = mkdtempSync(join(tmpdir(), 'doitong-live-'));
      provider = steppedProvider();
      doitong = createDoitong({ providers: [provider.adapter], logger: silentLogger, assets: { directory: assetDirectory } });
      ({ apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 }));
      ({ apiKey: otherKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 }));
      host = await options.start(doitong);
    });

    afterAll(async () => {
      for (const created of clients) created.dispose();
      await host.close();
      await doitong.close();
      rmSync(assetDirectory, { recursive: true, force: true });
    });

    it('streams PENDING, then PROCESSING with progress, then COMPLETED, and ends', async () => {
      const created = await postGraphQL(host.url, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id status } }' });
      const { id, status } = (created.json as { data: { generate: { id: string; status: string } } }).data.generate;
      assert.equal(status, 'PENDING');

      const updates = client(apiKey).iterate<{ generationUpdated: { id: string; status: string; progress: number; url: string | null } }>({
        query: follow,
        variables: { id },
      });
      const next = async () => {
        const step = await updates.next();
        assert.equal(step.done, false, 'the stream ended early');
        const result = step.value as ExecutionResult<{ generationUpdated: { id: string; status: string; progress: number; url: string | null } }>;
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        return result.data!.generationUpdated;
      };
      assert.deepEqual(await next(), { id, status: 'PENDING', progress: 0, url: null });
      provider.accept();
      assert.deepEqual(await next(), { id, status: 'PROCESSING', progress: 0, url: null });
      assert.deepEqual(await next(), { id, status: 'PROCESSING', progress: 40, url: null });
      provider.finish();
      const completed = await next();
      assert.equal(completed.status, 'COMPLETED');
      assert.equal(completed.progress, 100);
      assert.match(completed.url ?? '', /\/graphql\/assets\/.+\.png\?expires=\d+&signature=/);
      assert.equal((await updates.next()).done, true);
    });

    it('answers a query as one event, then ends', async () => {
      const results = [];
      for await (const result of client(apiKey).iterate<{ me: { credits: number } }>({ query: '{ me { credits } }' })) results.push(result);
      assert.equal(results.length, 1);
      assert.equal(typeof results[0]!.data?.me.credits, 'number');
    });

    it('refuses a request without a key with 401', async () => {
      const updates = client(null).iterate({ query: follow, variables: { id: 'gen_x' } });
      await assert.rejects(updates.next(), (error: unknown) => /401|UNAUTHENTICATED|Unauthorized/i.test(String((error as Error).message ?? error)));
    });

    it("says NOT_FOUND for another account's generation", async () => {
      const created = await postGraphQL(host.url, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }' });
      const { id } = (created.json as { data: { generate: { id: string } } }).data.generate;
      const results: ExecutionResult<Record<string, unknown>, unknown>[] = [];
      for await (const result of client(otherKey).iterate({ query: follow, variables: { id } })) results.push(result);
      assert.equal(results.length, 1);
      assert.equal(results[0]!.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });

    it('refuses a mutation over the event stream: mutations go through POST', async () => {
      const updates = client(apiKey).iterate({ query: 'mutation { cancelGeneration(id: "gen_x") }' });
      await assert.rejects(updates.next(), (error: unknown) => /405|METHOD_NOT_ALLOWED|Method Not Allowed/i.test(String((error as Error).message ?? error)));
    });
  });
}
