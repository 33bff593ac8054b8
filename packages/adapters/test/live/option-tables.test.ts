import { afterAll, describe, expect, it } from 'vitest';
import type { GenerationInput, JsonValue } from '@doitong/core';
import { catalog, heygenRoutes, type CatalogEntry } from '@doitong/adapters';
import { requestFor } from '../helpers';
import { png, type MockServer } from '../mocks/mock-server';
import { families } from './families';
import { context, liveAdapter } from './target';

/**
 * Every catalog entry against its provider's mock, over its whole table of frame shapes,
 * durations, resolutions and models, with each kind of input it takes. The mocks hold each
 * route's own table, written from the providers' SDKs and documents; the catalog holds its own.
 * For every combination, either the catalog's check refuses it before any call (and the router
 * then passes over the provider), or the provider accepts it and the model the catalog priced
 * is the one on the wire. A request can only be routed where it is valid.
 */
const image = `data:image/png;base64,${Buffer.from(png(320, 320)).toString('base64')}`;
const link = 'https://example.com/input.png';

/** The inputs an entry can be sent: text alone, with an image as bytes, with an image link, or its own media. */
function inputShapes(entry: CatalogEntry): GenerationInput[] {
  const type = entry.types[0]!;
  const support = entry.inputs[type]!;
  const shapes: GenerationInput[] = [];
  if (support.video !== undefined && support.video !== 'unsupported') {
    return [
      {
        video: 'https://example.com/face.mp4',
        ...(support.audio !== 'unsupported' ? { audio: 'https://example.com/speech.wav' } : {}),
        ...(support.image === 'required' ? { image: link } : {}),
      },
    ];
  }
  if (support.audio !== undefined && support.audio !== 'unsupported') shapes.push({ audio: 'https://example.com/speech.wav' });
  const text = support.text === 'unsupported' ? {} : { text: 'a lighthouse on a cliff at dusk' };
  if (support.image !== 'required' && support.text !== 'unsupported') shapes.push(text);
  if (support.image !== 'unsupported') shapes.push({ ...text, image }, { ...text, image: link });
  return shapes;
}

/** The options whose tables differ per route, crossed: each value the catalog offers. */
function optionGrid(entry: CatalogEntry): Array<Record<string, JsonValue>> {
  let grid: Array<Record<string, JsonValue>> = [{}];
  for (const name of ['model', 'aspectRatio', 'duration', 'resolution', 'personGeneration']) {
    const spec = entry.options.find((option) => option.name === name);
    if (!spec?.allowedValues) continue;
    grid = grid.flatMap((options) => spec.allowedValues!.map((value) => ({ ...options, [name]: value })));
  }
  return grid;
}

/** Whether the sent request carries the model the catalog priced (its id, or for HeyGen its engine's route). */
function carriesModel(entry: CatalogEntry, wireModel: string, sent: { path: string; body: Buffer }): boolean {
  if (entry.id === 'heygen') return sent.path === heygenRoutes[wireModel]!.endpoint;
  // Ids are compared as words: talking-agent is the API's talking_agent.
  const words = (text: string) => text.toLowerCase().replace(/[-_]/g, ' ');
  return words(`${decodeURIComponent(sent.path)} ${sent.body.toString('latin1')}`).includes(words(wireModel));
}

const mocks = new Map<string, MockServer>();
afterAll(async () => {
  for (const mock of mocks.values()) await mock.close();
});

describe('option tables, route by route, against each provider’s mock', () => {
  for (const entry of catalog) {
    const setup = families[entry.id];
    it(`${entry.id}: every combination is refused up front or accepted by the provider, with the priced model on the wire`, async () => {
      expect(setup, `no mock for ${entry.id}`).toBeDefined();
      const mock = await setup!.mock();
      mocks.set(entry.id, mock);
      const live = liveAdapter(entry.id, setup!.family, mock.url, setup!.credentials);
      let accepted = 0;
      const refusedFor = new Set<string>();
      for (const input of inputShapes(entry)) {
        for (const options of optionGrid(entry)) {
          let request;
          try {
            request = requestFor(live, entry.types[0]!, input, options);
          } catch {
            continue; // an option this type of the entry does not take
          }
          const label = `${entry.id} ${JSON.stringify({ input: Object.keys(input), image: input.image?.slice(0, 5), ...options })}`;
          const before = mock.requests.length;
          const problem = live.check?.(request);
          if (problem !== undefined) {
            await expect(live.start(request, context()), label).rejects.toMatchObject({ code: 'INVALID_INPUT', acceptance: 'rejected' });
            expect(mock.requests.length, `${label} was refused but reached the provider`).toBe(before);
            refusedFor.add(problem);
            continue;
          }
          const started = await live.start(request, context()).then(
            () => undefined,
            (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
          );
          expect(started, `${label}: the catalog let it through but the provider refused it`).toBeUndefined();
          const created = mock.requests.slice(before).find((sent) => sent.method === 'POST' || sent.method === 'PUT');
          expect(created, label).toBeDefined();
          expect(carriesModel(entry, entry.plan(request).wireModel, created!), `${label}: ${entry.plan(request).wireModel} not on the wire`).toBe(true);
          accepted++;
        }
      }
      expect(accepted, `${entry.id} accepted nothing`).toBeGreaterThan(0);
    });
  }

  it('covers the whole catalog', () => {
    expect(catalog.map((entry) => entry.id).filter((id) => !families[id])).toEqual([]);
  });
});

describe('routing with the route tables', () => {
  const generate = 'mutation($input: GenerateInput!) { generate(input: $input) { id provider routing { candidates { provider eligible reason } } } }';

  async function engine() {
    const { createDoitong, silentLogger } = await import('@doitong/core');
    const { sandboxProviders } = await import('@doitong/sandbox');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const doitong = createDoitong({
      providers: sandboxProviders({ latencyMilliseconds: 0 }),
      logger: silentLogger,
      assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-routes-')) },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100_000 });
    const call = async (input: Record<string, unknown>) =>
      JSON.parse(
        String(
          (
            await doitong.handle({
              method: 'POST',
              url: '/',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
              body: JSON.stringify({ query: generate, variables: { input } }),
              baseUrl: 'http://local/graphql',
            })
          ).body,
        ),
      );
    return { doitong, call };
  }

  it('passes over a provider whose route cannot take the request, and refuses it when named', async () => {
    const { doitong, call } = await engine();
    try {
      // Text alone goes to Runway's Gen-4.5 text-to-video, which makes 16:9 and 9:16 only.
      const square = await call({ type: 'VIDEO', priority: 'QUALITY', input: { text: 'a square clip of waves' }, options: { aspectRatio: '1:1' } });
      const runway = square.data.generate.routing.candidates.find((candidate: { provider: string }) => candidate.provider === 'runway');
      expect(runway).toMatchObject({ eligible: false, reason: expect.stringContaining('makes 16:9, 9:16 only, not 1:1') });
      expect(square.data.generate.provider).not.toBe('runway');
      const named = await call({ type: 'VIDEO', provider: 'runway', input: { text: 'a square clip of waves' }, options: { aspectRatio: '1:1' } });
      expect(named.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', provider: 'runway' });
      // An image link: FLUX1.1 [pro] and Ultra take image_prompt as base64 only; Kontext fetches links.
      const linked = await call({ type: 'IMAGE', priority: 'QUALITY', input: { text: 'the same scene at night', image: 'https://example.com/day.png' } });
      const candidates = linked.data.generate.routing.candidates as Array<{ provider: string; eligible: boolean; reason: string | null }>;
      for (const id of ['flux-1.1-pro', 'flux-ultra', 'stable-diffusion'])
        expect(
          candidates.find((candidate) => candidate.provider === id),
          id,
        ).toMatchObject({ eligible: false, reason: expect.stringContaining('does not fetch links') });
      expect(candidates.find((candidate) => candidate.provider === 'flux-kontext')).toMatchObject({ eligible: true });
    } finally {
      await doitong.close();
    }
  });
});
