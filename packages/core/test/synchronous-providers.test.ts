/**
 * A synchronous provider (text to speech, Imagen) answers the create call with the file itself.
 * The engine finishes such a generation in one write, and to everyone watching it still starts
 * before it ends, with its provider job and attempt recorded as for any other provider.
 */
import { afterEach, expect, it } from 'vitest';
import type { Doitong, ProviderAdapter } from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

function synchronous(answer: 'file' | 'failure'): ProviderAdapter {
  const { adapter } = fakeProvider({ id: 'speaks' });
  return {
    ...adapter,
    async start(request) {
      if (answer === 'failure')
        return { handle: { jobId: request.generationId }, status: { state: 'failed', code: 'GENERATION_FAILED', message: 'content refused' } };
      return {
        handle: { jobId: request.generationId },
        status: {
          state: 'succeeded',
          outputs: [{ kind: 'bytes', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png', metadata: { width: 1, height: 1, format: 'png' } }],
        },
      };
    },
  };
}

async function run(adapter: ProviderAdapter) {
  doitong = testDoitong({ providers: [adapter] });
  const events: string[] = [];
  const started: Array<{ status: string; providerJob: unknown; startedAt: string | null }> = [];
  for (const name of ['generation.created', 'generation.started', 'generation.completed', 'generation.failed'] as const) {
    doitong.on(name, (generation) => {
      events.push(`${name}:${generation.status}`);
      if (name === 'generation.started') started.push({ status: generation.status, providerJob: generation.providerJob, startedAt: generation.startedAt });
    });
  }
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
  const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id creditCost } }' });
  const id = created.body.data.generate.id as string;
  const read = async () =>
    (await post(doitong!, apiKey, { query: `{ generation(id: "${id}") { status url errorCode attempts { provider outcome creditCost } } me { credits } }` }))
      .body.data;
  const ended = await eventually(read, (data) => ['COMPLETED', 'FAILED'].includes(data.generation.status));
  const stored = await doitong.getGeneration(id);
  return { ended, events, started, stored: stored!, creditCost: created.body.data.generate.creditCost as number };
}

it('finishes a generation answered with its file: started then completed, the job and its attempt recorded, charged once', async () => {
  const { ended, events, started, stored, creditCost } = await run(synchronous('file'));
  expect(ended.generation.status).toBe('COMPLETED');
  expect(ended.generation.url).toMatch(/^http/);
  expect(ended.generation.attempts).toEqual([{ provider: 'speaks', outcome: 'succeeded', creditCost }]);
  expect(ended.me.credits).toBe(100 - creditCost);
  await eventually(
    async () => events,
    (list) => list.length === 3,
  );
  expect(events).toEqual(['generation.created:PENDING', 'generation.started:PROCESSING', 'generation.completed:COMPLETED']);
  expect(started[0]).toEqual({ status: 'PROCESSING', providerJob: { jobId: stored.id }, startedAt: stored.startedAt });
  expect(stored.providerJob).toEqual({ jobId: stored.id });
  expect(stored.startedAt).not.toBeNull();
  expect(stored.attempts[0]!.startedAt).toBe(stored.startedAt);
});

it('records a synchronous refusal as failed and refunds it', async () => {
  const { ended, events } = await run(synchronous('failure'));
  expect(ended.generation.status).toBe('FAILED');
  expect(ended.generation.errorCode).toBe('GENERATION_FAILED');
  expect(ended.generation.attempts).toEqual([{ provider: 'speaks', outcome: 'failed', creditCost: expect.any(Number) }]);
  expect(ended.me.credits).toBe(100);
  await eventually(
    async () => events,
    (list) => list.length === 3,
  );
  expect(events).toEqual(['generation.created:PENDING', 'generation.started:PROCESSING', 'generation.failed:FAILED']);
});
