// The provider conformance suite: the tests every adapter must pass, run through the whole engine against its mock.
import assert from 'node:assert/strict';
import type { TestApi } from '../test-api';
import { startHarness, startingCredits, type Harness } from './harness';
import { mockBehaviours, type ConformanceTarget, type MockBehaviour, type ProviderConformanceOptions } from './target';

export type { ConformanceTarget, MockBehaviour, ProviderConformanceOptions } from './target';

const engineStates = new Set(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

/**
 * The behaviour every provider adapter must show, run through the whole engine (GraphQL in,
 * credits, polling, settlement) against the provider's mock: submit → poll → complete; the
 * provider's failure; the provider unavailable; cancel; the maximum job time; status words
 * normalised to the engine's vocabulary; and exactly one create call per generation whatever
 * fails. Register it from any test framework with three lines:
 *
 * ```ts
 * import * as vitest from 'vitest';
 * providerConformanceSuite(vitest, { name: 'kling', setup: () => klingTarget() });
 * ```
 */
export function providerConformanceSuite(test: TestApi, options: ProviderConformanceOptions): void {
  const can = (behaviour: MockBehaviour) => !options.behaviours || options.behaviours.includes(behaviour);
  const leftOut = mockBehaviours.filter((behaviour) => !can(behaviour));
  /** Registers a test only when the target can act out one of the behaviours it needs. */
  const it = (needs: readonly MockBehaviour[], title: string, body: () => Promise<void>) => {
    if (needs.some(can)) test.it(title, body);
  };
  test.describe(`provider conformance: ${options.name}${leftOut.length ? ` (cannot act out: ${leftOut.join(', ')})` : ''}`, () => {
    let target: ConformanceTarget;
    const behave = (behaviour: MockBehaviour) => {
      assert.ok(can(behaviour), `this test needs the target to act out "${behaviour}", which its options.behaviours leave out`);
      target.behave(behaviour);
    };
    let current: Harness | undefined;
    test.beforeAll(async () => {
      target = await options.setup();
    });
    test.afterAll(async () => {
      await current?.doitong.close();
      await target?.close();
    });
    const harness = async (overrides: { maxJobTime?: number } = {}) => {
      await current?.doitong.close();
      current = await startHarness(target, overrides);
      return current;
    };

    it(['succeed'], 'submits once, polls and completes with a stored output, charging the quoted price once', async () => {
      const run = await harness();
      behave('succeed');
      const before = target.createCalls();
      const created = await run.generate();
      const done = await run.until(created.id, 'COMPLETED');
      assert.equal(target.createCalls() - before, 1, 'exactly one create call');
      assert.ok(done.url, 'a completed generation has a url');
      assert.equal(done.progress, 100);
      assert.ok(done.metadata && typeof done.metadata === 'object', 'metadata is recorded');
      const download = await run.download(done.url);
      assert.equal(download.status, 200, 'the url serves the output');
      assert.ok(download.size > 0, 'the output is not empty');
      assert.equal(await run.credits(), startingCredits - created.creditCost, 'the quoted price is committed once');
    });

    it(['succeed'], 'normalises the provider’s status words to the engine’s vocabulary', async () => {
      const run = await harness();
      behave('succeed');
      const created = await run.generate();
      await run.until(created.id, 'COMPLETED');
      assert.ok(run.seen.length > 0, 'the adapter reported a status');
      for (const status of run.seen) {
        assert.ok(engineStates.has(status.state), `unknown state ${JSON.stringify(status)}`);
        if ((status.state === 'queued' || status.state === 'running') && status.progress !== undefined)
          assert.ok(status.progress >= 0 && status.progress <= 100, `progress ${status.progress} is within 0..100`);
      }
      assert.equal(run.seen.at(-1)?.state, 'succeeded');
      if (!target.synchronous)
        assert.ok(
          run.seen.some((status) => status.state === 'queued' || status.state === 'running'),
          'an asynchronous job is seen queued or running first',
        );
    });

    it(['fail'], 'records the provider’s failure with its reason (GENERATION_FAILED for refused content) and refunds it', async () => {
      const run = await harness();
      behave('fail');
      const before = target.createCalls();
      const created = await run.generate();
      const failed = await run.until(created.id, 'FAILED');
      assert.equal(failed.errorCode, target.failureCode ?? 'GENERATION_FAILED');
      assert.ok(failed.error?.message, 'the provider’s reason is kept');
      assert.equal(target.createCalls() - before, 1, 'exactly one create call');
      assert.equal(await run.credits(), startingCredits, 'refunded');
    });

    it(['unavailable'], 'records a provider that refused the job as PROVIDER_UNAVAILABLE, refunds it, and does not resubmit', async () => {
      const run = await harness();
      behave('unavailable');
      const before = target.createCalls();
      const created = await run.generate();
      const failed = await run.until(created.id, 'FAILED');
      assert.equal(failed.errorCode, 'PROVIDER_UNAVAILABLE');
      assert.equal(failed.attempts.at(-1)?.outcome, 'rejected', 'the refusal is proven');
      await run.idle();
      assert.equal(target.createCalls() - before, 1, 'exactly one create call');
      assert.equal(await run.credits(), startingCredits, 'refunded');
    });

    it(['no-answer'], 'never repeats a create call whose outcome is unknown', async () => {
      const run = await harness();
      behave('no-answer');
      const before = target.createCalls();
      const created = await run.generate();
      const failed = await run.until(created.id, 'FAILED');
      assert.equal(failed.errorCode, 'PROVIDER_UNAVAILABLE');
      assert.equal(failed.attempts.at(-1)?.outcome, 'unknown');
      await run.idle();
      assert.equal(target.createCalls() - before, 1, 'exactly one create call');
    });

    it(['never-finish', 'succeed'], 'cancels: CANCELLED, at the provider where it can, settled by the provider’s cancel policy', async () => {
      const run = await harness();
      behave(target.synchronous ? 'succeed' : 'never-finish');
      const created = await run.generate();
      if (target.synchronous) {
        // Nothing to cancel once a synchronous provider answered: the cancel is refused.
        await run.until(created.id, 'COMPLETED');
        assert.equal(await run.cancel(created.id), false);
        return;
      }
      await run.until(created.id, 'PROCESSING');
      const cancelsBefore = target.cancelCalls?.() ?? 0;
      assert.equal(await run.cancel(created.id), true);
      assert.equal((await run.read(created.id)).status, 'CANCELLED');
      if (target.adapter.cancel && target.cancelCalls) assert.equal(target.cancelCalls() - cancelsBefore, 1, 'cancelled at the provider');
      const refunded = Boolean(target.adapter.cancel) || target.adapter.cancellation?.refundAfterAcceptance !== false;
      assert.equal(await run.credits(), refunded ? startingCredits : startingCredits - created.creditCost);
    });

    it(
      ['never-finish', 'no-answer'],
      'ends a job past the provider’s maximum job time as GENERATION_FAILED, refunded and cancelled at the provider',
      async () => {
        const run = await harness({ maxJobTime: 5 });
        behave(target.synchronous ? 'no-answer' : 'never-finish');
        const created = await run.generate();
        if (target.synchronous) {
          // A synchronous call that never answers is the call timeout's business: unknown outcome, no resubmission.
          const failed = await run.until(created.id, 'FAILED');
          assert.equal(failed.errorCode, 'PROVIDER_UNAVAILABLE');
          return;
        }
        await run.until(created.id, 'PROCESSING');
        const cancelsBefore = target.cancelCalls?.() ?? 0;
        run.clock.advance(6_000);
        const failed = await run.until(created.id, 'FAILED');
        assert.equal(failed.errorCode, 'GENERATION_FAILED');
        if (target.adapter.cancel && target.cancelCalls) assert.equal(target.cancelCalls() - cancelsBefore, 1, 'cancelled at the provider');
        assert.equal(await run.credits(), startingCredits, 'refunded');
      },
    );
  });
}
