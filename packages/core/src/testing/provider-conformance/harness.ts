// One fresh Doitong instance around the adapter under test, driven through GraphQL as a client would.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, InProcessQueue, silentLogger, type Doitong, type ProviderStatus } from '@doitong/core';
import { eventually } from '../eventually';
import { manualClock, type ManualClock } from '../manual-clock';
import { queueIdle } from '../queue-idle';
import { observe } from './observe';
import type { ConformanceTarget } from './target';

/** The credits each harness's account starts with, so a test can tell what was charged. */
export const startingCredits = 100_000;

export interface GenerationView {
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

export interface Harness {
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

export async function startHarness(target: ConformanceTarget, overrides: { maxJobTime?: number }): Promise<Harness> {
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
