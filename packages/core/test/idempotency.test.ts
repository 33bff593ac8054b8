import { idempotencyScenarios, type IdempotencyHarness } from '@doitong/core/testing';
import { describe, it } from 'vitest';
import { post, testDoitong } from './support';

// The scenarios every binding also runs (`bindingTestSuite`), here through the handler itself.
const handlerHarness: IdempotencyHarness = async (options) => {
  const doitong = testDoitong(options);
  return { doitong, send: (apiKey, body, headers) => post(doitong, apiKey, body, headers), close: () => doitong.close() };
};

describe('Idempotency-Key through the handler', () => {
  for (const [name, scenario] of Object.entries(idempotencyScenarios)) it(name, () => scenario(handlerHarness));
});
