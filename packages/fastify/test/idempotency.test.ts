import { postGraphQL } from '@doitong/core/testing';
import fastify from 'fastify';
import { describe, it } from 'vitest';
import { idempotencyScenarios, type Harness } from '../../core/test/scenarios/idempotency';
import { testDoitong } from '../../core/test/support';
import { startFastifyHost } from './host';

// The handler's Idempotency-Key scenarios again, over real HTTP through Fastify.
const fastifyHarness: Harness = async (options) => {
  const doitong = testDoitong(options);
  const host = await startFastifyHost(fastify, doitong);
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

describe('Idempotency-Key through Fastify', () => {
  for (const [name, scenario] of Object.entries(idempotencyScenarios)) it(name, () => scenario(fastifyHarness));
});
