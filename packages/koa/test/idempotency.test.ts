import { postGraphQL } from '@doitong/core/testing';
import Koa from 'koa';
import { describe, it } from 'vitest';
import { idempotencyScenarios, type Harness } from '../../core/test/scenarios/idempotency';
import { testDoitong } from '../../core/test/support';
import { startKoaHost } from './host';

// The handler's Idempotency-Key scenarios again, over real HTTP through Koa.
const koaHarness: Harness = async (options) => {
  const doitong = testDoitong(options);
  const host = await startKoaHost(Koa, doitong);
  return {
    doitong,
    async send(apiKey, body, headers) {
      const response = await postGraphQL(host.url, apiKey, body, headers);
      return { status: response.status, headers: Object.fromEntries(response.headers), body: response.json ?? null };
    },
    async close() {
      await host.close();
      await doitong.close();
    },
  };
};

describe('Idempotency-Key through Koa', () => {
  for (const [name, scenario] of Object.entries(idempotencyScenarios)) it(name, () => scenario(koaHarness));
});
