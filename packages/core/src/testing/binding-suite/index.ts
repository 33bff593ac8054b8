import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger } from '@doitong/core';
import { postGraphQL } from '../http-probe';
import type { TestApi } from '../test-api';
import { registerHttpConformance } from './http-conformance';
import { idempotencyScenarios, type IdempotencyHarness } from './idempotency';
import type { BindingSuiteOptions } from './options';

export type { BindingSuiteOptions } from './options';
export { idempotencyScenarios, type IdempotencyHarness, type IdempotencySend, type SentResponse } from './idempotency';

/**
 * The conformance suite every HTTP binding runs, over real HTTP against a real host app: the
 * same requests must get the same answers whichever framework carries them, with or without a
 * host body parser, and nothing may end in a 500 or a crash; then every Idempotency-Key scenario,
 * each on an instance of its own behind a host app of its own. Register it in a few lines:
 *
 * ```ts
 * import * as vitest from 'vitest';
 * import { serverAudits } from 'graphql-http';
 * bindingTestSuite(vitest, { name: 'Express 5', audits: serverAudits, start: (doitong) => … });
 * ```
 */
export function bindingTestSuite(test: TestApi, options: BindingSuiteOptions): void {
  test.describe(`${options.name} binding conformance`, () => {
    registerHttpConformance(test, options);
    test.describe('Idempotency-Key', () => {
      const harness = bindingHarness(options);
      for (const [name, scenario] of Object.entries(idempotencyScenarios)) test.it(name, () => scenario(harness));
    });
  });
}

/** An instance with the scenario's options, mounted by the binding's own `start`, spoken to over HTTP. */
function bindingHarness(options: BindingSuiteOptions): IdempotencyHarness {
  return async (doitongOptions) => {
    const directory = mkdtempSync(join(tmpdir(), 'doitong-binding-'));
    // No drain on close: most scenarios end with a generation still in flight.
    const doitong = createDoitong({ drainSeconds: 0, logger: silentLogger, assets: { directory }, ...doitongOptions });
    const host = await options.start(doitong);
    return {
      doitong,
      async send(apiKey, body, headers) {
        const response = await postGraphQL(host.url, apiKey, body, headers);
        return { status: response.status, headers: Object.fromEntries(response.headers), body: response.json ?? null };
      },
      async close() {
        await host.close();
        await doitong.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  };
}
