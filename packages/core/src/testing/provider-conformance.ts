import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDoitong,
  InProcessQueue,
  silentLogger,
  type Doitong,
  type GenerationInput,
  type GenerationType,
  type JsonValue,
  type ProviderAdapter,
  type ProviderStatus,
} from '@doitong/core';
import { eventually } from './eventually';
import { manualClock, type ManualClock } from './manual-clock';
import { queueIdle } from './queue-idle';
import type { TestApi } from './test-api';

/**
 * What a provider's mock acts out for the jobs created after `behave` is called:
 * - `succeed`: the provider's documented status sequence (queued, running words) ending in an output;
 * - `fail`: accepted, then the provider's own terminal failure for the content (moderation);
 * - `unavailable`: the create call is refused (429, 5xx, out of credits): nothing was accepted;
 * - `never-finish`: accepted and running forever (until cancelled);
 * - `no-answer`: the create call is received and the connection dropped without an answer, so
 *   whether the job exists is unknown.
 */
export type MockBehaviour = 'succeed' | 'fail' | 'unavailable' | 'never-finish' | 'no-answer';
const mockBehaviours: readonly MockBehaviour[] = ['succeed', 'fail', 'unavailable', 'never-finish', 'no-answer'];

/** One adapter pointed at its mock, as a conformance suite needs it. */
export interface ConformanceTarget {
  /** The adapter under test (live or not), configured to call the mock. */
  adapter: ProviderAdapter;
  /** A request the provider serves, sent with `provider: adapter.id`. */
  request: { type: GenerationType; input: GenerationInput; options?: Record<string, JsonValue> };
  /** True when the provider answers within the create call (no status polling). */
  synchronous: boolean;
  /**
   * The code the provider's own failure (`behave('fail')`) becomes: GENERATION_FAILED where the
   * provider refuses content (the default); INVALID_INPUT for APIs whose only failures are the
   * request's (text-to-speech has no content refusal).
   */
  failureCode?: 'GENERATION_FAILED' | 'INVALID_INPUT';
  behave(behaviour: MockBehaviour): void;
  /** Create calls the mock has received since the target was set up. */
  createCalls(): number;
  /** Cancel calls the mock has received (for providers with a cancel endpoint). */
  cancelCalls?(): number;
  close(): Promise<void>;
}

export interface ProviderConformanceOptions {
  /** Shown in the suite's name. */
  name: string;
  /** Starts the mock and builds the adapter; called once for the suite. */
  setup(): Promise<ConformanceTarget>;
  /**
   * The behaviours the target can act out, when not all of them (the offline sandbox cannot drop a
   * connection unanswered, so it has no `no-answer`). A test that needs a behaviour left out here
   * is not registered, and the suite's name lists what was left out, so a report shows what went
   * unchecked. The cancel and maximum-job-time tests need `never-finish` from an asynchronous
   * target, and `succeed` and `no-answer` from a synchronous one; such a test fails, rather than
   * passes, when its target cannot act out what it needs.
   */
  behaviours?: readonly MockBehaviour[];
}

const engineStates = new Set(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
const startingCredits = 100_000;

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

interface GenerationView {
  id: string;
  status: string;
  progress: number;
  creditCost: number;
  url: string | null;
  errorCode: string | null;
  error: { code: string; message: string } | null;
  metadata: Record<string, unknown> | null;
  attempts: Array<{ provider: string; outcome: string | null }>;
}

interface Harness {
  doitong: Doitong;
  clock: ManualClock;
  seen: ProviderStatus[];
  generate(): Promise<GenerationView>;
  read(id: string): Promise<GenerationView>;
  until(id: string, status: string): Promise<GenerationView>;
  cancel(id: string): Promise<boolean>;
  credits(): Promise<number>;
  download(url: string): Promise<{ status: number; size: number }>;
  /** Resolves once every job the generations queued has run: no stray retry can reach the mock after it. */
  idle(): Promise<void>;
}

const generationFields =
  'id status progress creditCost url errorCode error { code message } metadata { width height duration format contentType fileSize } attempts { provider outcome }';

async function startHarness(target: ConformanceTarget, overrides: { maxJobTime?: number }): Promise<Harness> {
  const seen: ProviderStatus[] = [];
  const clock = manualClock(Date.now());
  const queue = new InProcessQueue({ logger: silentLogger });
  const doitong = createDoitong({
    queue,
    providers: [observe(target.adapter, seen, overrides)],
    logger: silentLogger,
    clock,
    assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-conformance-')) },
    // Mocks answer at once: poll every few milliseconds instead of the provider's minutes.
    pollSchedule: () => 5,
  });
  const { apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: startingCredits, mode: target.adapter.livemode ? 'live' : 'test' });
  const call = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await doitong.handle({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      baseUrl: 'http://conformance.local/graphql',
    });
    const body = JSON.parse(String(response.body)) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((error) => error.message).join('; ')}`);
    return body.data!;
  };
  const read = async (id: string) => (await call(`query($id: ID!) { generation(id: $id) { ${generationFields} } }`, { id })).generation as GenerationView;
  return {
    doitong,
    clock,
    seen,
    async idle() {
      await queueIdle(queue);
    },
    async generate() {
      const { type, input, options } = target.request;
      const data = await call(`mutation($input: GenerateInput!) { generate(input: $input) { ${generationFields} } }`, {
        input: { type, provider: target.adapter.id, input, options: options ?? {} },
      });
      return data.generate as GenerationView;
    },
    read,
    until: (id, status) =>
      eventually(
        () => read(id),
        (generation) => generation.status === status || (generation.status !== 'PENDING' && generation.status !== 'PROCESSING' && generation.status !== status),
        10_000,
      ).then((generation) => {
        assert.equal(generation.status, status, `expected ${status}, got ${JSON.stringify(generation)}`);
        return generation;
      }),
    async cancel(id) {
      return (await call('mutation($id: ID!) { cancelGeneration(id: $id) }', { id })).cancelGeneration as boolean;
    },
    async credits() {
      return ((await call('{ me { credits } }')).me as { credits: number }).credits;
    },
    async download(url) {
      if (!url.startsWith('http://conformance.local/graphql')) {
        // A provider link kept as it is (it does not expire).
        const external = await fetch(url);
        return { status: external.status, size: (await external.arrayBuffer()).byteLength };
      }
      const response = await doitong.handle({ method: 'GET', url: url.replace('http://conformance.local/graphql', ''), headers: {} });
      const body = response.body;
      const size = body instanceof Uint8Array || typeof body === 'string' ? body.length : await streamSize(body);
      return { status: response.status, size };
    },
  };
}

async function streamSize(body: unknown): Promise<number> {
  if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return 0;
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) size += chunk.length;
  return size;
}

/**
 * The adapter as the engine sees it, recording every status it reports. Methods are bound to
 * the original, so class-based adapters with private fields work too.
 */
function observe(adapter: ProviderAdapter, seen: ProviderStatus[], overrides: { maxJobTime?: number }): ProviderAdapter {
  return {
    id: adapter.id,
    contractVersion: adapter.contractVersion,
    name: adapter.name,
    description: adapter.description,
    types: adapter.types,
    models: adapter.models,
    defaultModel: adapter.defaultModel,
    features: adapter.features,
    limitations: adapter.limitations,
    inputs: adapter.inputs,
    options: adapter.options,
    traits: adapter.traits,
    maxJobTime: overrides.maxJobTime ?? adapter.maxJobTime,
    cancellation: adapter.cancellation,
    livemode: adapter.livemode,
    price: (request) => adapter.price(request),
    unavailableReason: adapter.unavailableReason ? () => adapter.unavailableReason!() : undefined,
    async start(request, context) {
      const job = await adapter.start(request, context);
      if (job.status) seen.push(job.status);
      return job;
    },
    status: adapter.status
      ? async (handle, request, context) => {
          const status = await adapter.status!(handle, request, context);
          seen.push(status);
          return status;
        }
      : undefined,
    cancel: adapter.cancel ? (handle, request, context) => adapter.cancel!(handle, request, context) : undefined,
    parseCallback: adapter.parseCallback ? (callback) => adapter.parseCallback!(callback) : undefined,
  };
}
