import { describe, it } from 'vitest';
import { idempotencyScenarios, type Harness } from './scenarios/idempotency';
import { post, testDoitong } from './support';

const handlerHarness: Harness = async (options) => {
  const doitong = testDoitong(options);
  return { doitong, send: (apiKey, body, headers) => post(doitong, apiKey, body, headers), close: () => doitong.close() };
};

describe('Idempotency-Key through the handler', () => {
  for (const [name, scenario] of Object.entries(idempotencyScenarios)) it(name, () => scenario(handlerHarness));
});
