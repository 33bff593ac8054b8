/**
 * How long the sandbox takes to make its files, on this machine: `npx tsx bench/sandbox-media.ts`.
 * The target is a 5-second 480p video in under 3 seconds on two cores. Figures, not a test: tests
 * never assert on elapsed time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, validateOptions, type GenerationInput, type GenerationType, type JsonValue } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';

const adapters = sandboxProviders({ latencyMilliseconds: 0 });
const runs = Number(process.env.BENCH_RUNS ?? 3);
let counter = 0;

async function render(id: string, type: GenerationType, input: GenerationInput, options: Record<string, JsonValue>) {
  const adapter = adapters.find((candidate) => candidate.id === id)!;
  const validated = validateOptions(adapter, type, options);
  const request = {
    generationId: `gen_bench_${++counter}`,
    accountId: 'acct_bench',
    type,
    model: typeof validated.model === 'string' ? validated.model : adapter.defaultModel,
    input,
    options: validated,
    livemode: false,
  };
  const context = { signal: new AbortController().signal, now: () => Date.now() + 3_600_000 };
  const job = await adapter.start(request, context);
  const status = job.status ?? (await adapter.status!(job.handle, request, context));
  if (status.state !== 'succeeded') throw new Error(`${id} did not succeed: ${JSON.stringify(status)}`);
  return status.outputs[0]!;
}

async function measure(name: string, make: () => Promise<unknown>) {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await make();
    times.push((performance.now() - started) / 1000);
  }
  times.sort((first, second) => first - second);
  console.log(
    `${name.padEnd(44)} median ${times[Math.floor(times.length / 2)]!.toFixed(2)} s   (min ${times[0]!.toFixed(2)}, max ${times.at(-1)!.toFixed(2)}, ${runs} runs)`,
  );
}

// Loads Skia, the fonts, the speech worker and ffmpeg once, as a running server has.
await render('flux-schnell', 'IMAGE', { text: 'warm up' }, { aspectRatio: '1:1' });
await render('elevenlabs', 'AUDIO', { text: 'warm up' }, {});

await measure('VIDEO seedance 5 s 480p (864x480, 24 fps)', () =>
  render('seedance', 'VIDEO', { text: 'A paper boat on a stream' }, { resolution: '480p', duration: 5 }),
);
await measure('VIDEO minimax 10 s 1080p asked (768p made)', () =>
  render('minimax', 'VIDEO', { text: 'A serene mountain landscape at sunset' }, { duration: 10, resolution: '1080p' }),
);
await measure('AVATAR heygen 720p, one sentence', () =>
  render('heygen', 'AVATAR', { text: 'Hello there, I am your Doitong presenter.' }, { resolution: '720p' }),
);
await measure('IMAGE flux-schnell 16:9 (1024x576)', () => render('flux-schnell', 'IMAGE', { text: 'A red fox in the snow' }, { aspectRatio: '16:9' }));
await measure('IMAGE flux-ultra 16:9 (2752x1536)', () => render('flux-ultra', 'IMAGE', { text: 'Photorealistic portrait' }, { aspectRatio: '16:9' }));
await measure('AUDIO elevenlabs, one sentence', () => render('elevenlabs', 'AUDIO', { text: 'Welcome to the future of artificial intelligence' }, {}));

// The same video through the whole engine, as a caller sees it: generate, then COMPLETED. The
// sandbox's default latency (1.5 s, standing in for a provider's queue) is part of this figure.
const folder = mkdtempSync(join(tmpdir(), 'doitong-bench-'));
const doitong = createDoitong({ providers: sandboxProviders(), logger: silentLogger, assets: { directory: folder } });
const { apiKey } = await doitong.accounts.create({ plan: 'enterprise', credits: 1_000_000 });
await measure('VIDEO seedance 5 s 480p, generate → COMPLETED', async () => {
  const response = await doitong.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      query:
        'mutation { generate(input: { type: VIDEO, provider: "seedance", input: { text: "A paper boat on a stream" }, options: { resolution: "480p", duration: 5 } }) { id } }',
    }),
  });
  const id = JSON.parse(String(response.body)).data.generate.id as string;
  await new Promise<void>((resolve, reject) => {
    const done = (generation: { id: string; status: string }) => {
      if (generation.id !== id) return;
      doitong.off('generation.completed', done).off('generation.failed', done);
      if (generation.status === 'COMPLETED') resolve();
      else reject(new Error(`generation ${id} ended ${generation.status}`));
    };
    doitong.on('generation.completed', done).on('generation.failed', done);
  });
});
await doitong.close();
rmSync(folder, { recursive: true, force: true });
