import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHealth, ProviderRegistry, ProviderRouter, type Doitong } from '@doitong/core';
import { manualClock } from '@doitong/core/testing';
import { post, testDoitong } from './support';
import { testProvider } from './providers';

let doitong: Doitong;
afterEach(async () => doitong?.close());

/** A fixed catalog: each priority has one clear winner. */
function catalog() {
  return [
    testProvider({ id: 'premium', quality: 10, speed: 3, creditCost: 100, estimatedTime: 120 }),
    testProvider({ id: 'quick', quality: 5, speed: 10, creditCost: 30, estimatedTime: 5 }),
    testProvider({ id: 'cheap', quality: 4, speed: 5, creditCost: 5, estimatedTime: 60, image: 'unsupported' }),
    testProvider({ id: 'balanced', quality: 7, speed: 8, creditCost: 20, estimatedTime: 20, durations: [5] }),
  ];
}

const generate =
  'mutation($input: GenerateInput!) { generate(input: $input) { id provider creditCost routing { provider reason priority candidates { provider score eligible reason } } } }';

async function setup() {
  doitong = testDoitong({ providers: catalog().map((provider) => provider.adapter), pollSchedule: () => 5 });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 10_000 });
  return apiKey;
}

describe('automatic selection', () => {
  it.each([
    ['QUALITY', 'premium'],
    ['SPEED', 'quick'],
    ['COST', 'cheap'],
    ['BALANCED', 'balanced'],
    [null, 'balanced'],
  ])('priority %s picks %s and explains the choice', async (priority, expected) => {
    const apiKey = await setup();
    const response = await post(doitong, apiKey, {
      query: generate,
      variables: { input: { type: 'VIDEO', input: { text: 'a fox' }, ...(priority ? { priority } : {}) } },
    });
    const generation = response.body.data.generate;
    expect(generation.provider).toBe(expected);
    expect(generation.routing).toMatchObject({ provider: expected, priority: priority ?? 'BALANCED', reason: expect.stringContaining('among 4 eligible') });
    expect(generation.routing.candidates.map((candidate: { provider: string }) => candidate.provider)).toEqual(['premium', 'quick', 'cheap', 'balanced']);
    const scores = generation.routing.candidates.map((candidate: { score: number }) => candidate.score);
    expect(Math.max(...scores)).toBe(generation.routing.candidates.find((candidate: { provider: string }) => candidate.provider === expected).score);
  });

  it('considers only providers that can serve the input and the options', async () => {
    const apiKey = await setup();
    const withImage = await post(doitong, apiKey, {
      query: generate,
      variables: { input: { type: 'VIDEO', priority: 'COST', input: { text: 'a fox', image: 'https://example.com/a.png' } } },
    });
    expect(withImage.body.data.generate.provider).not.toBe('cheap');
    expect(withImage.body.data.generate.routing.candidates.find((candidate: { provider: string }) => candidate.provider === 'cheap')).toMatchObject({
      eligible: false,
      reason: expect.stringContaining('input.image'),
    });
    const tenSeconds = await post(doitong, apiKey, {
      query: generate,
      variables: { input: { type: 'VIDEO', input: { text: 'a fox' }, options: { duration: 10 } } },
    });
    expect(tenSeconds.body.data.generate.provider).not.toBe('balanced');
    expect(tenSeconds.body.data.generate.routing.candidates.find((candidate: { provider: string }) => candidate.provider === 'balanced')).toMatchObject({
      eligible: false,
      reason: expect.stringContaining('duration'),
    });
  });

  it('leaves out a provider without credentials, and says PROVIDER_UNAVAILABLE when none is left', async () => {
    const missing = testProvider({ id: 'keyless', quality: 10 });
    doitong = testDoitong({ providers: [{ ...missing.adapter, unavailableReason: () => 'no credentials: set KEYLESS_KEY' }] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const response = await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'x' } } } });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(response.body.errors[0].message).toContain('KEYLESS_KEY');
  });

  it('prefers a provider that has been fast and reliable over one that has been failing or slow', () => {
    const clock = manualClock();
    const health = new ProviderHealth(clock, { failureThreshold: 100 });
    const registry = new ProviderRegistry();
    registry.register(testProvider({ id: 'a', quality: 8, speed: 8, creditCost: 10, estimatedTime: 10 }).adapter);
    registry.register(testProvider({ id: 'b', quality: 8, speed: 8, creditCost: 10, estimatedTime: 10 }).adapter);
    const router = new ProviderRouter(registry, health);
    const route = () =>
      router.route({ type: 'VIDEO', input: { text: 'x' }, options: {}, priority: 'BALANCED', mode: 'test', generationId: 'g', accountId: 'a' });
    expect(route().adapter.id).toBe('a'); // a tie goes to the first registered
    health.record('a@test', { outcome: 'failure' });
    health.record('b@test', { outcome: 'success', latencySeconds: 10, estimatedSeconds: 10 });
    expect(route().adapter.id).toBe('b');
    expect(health.measured('a@test')).toMatchObject({ successRate: 0, samples: 1 });
    // Reliable again, but three times slower than its estimate, while b keeps its word.
    for (let index = 0; index < 20; index++) health.record('a@test', { outcome: 'success', latencySeconds: 30, estimatedSeconds: 10 });
    expect(health.measured('a@test')!.successRate).toBeGreaterThan(0.98);
    expect(health.measured('a@test')!.latencyRatio).toBeGreaterThan(2.9);
    expect(route().adapter.id).toBe('b');
    expect(route().fallbacks).toEqual(['a']);
  });
});
