import { validateOptions, type GenerationInput, type GenerationType, type JsonValue } from '@doitong/core';
import { describe, expect, it } from 'vitest';
import { catalog, catalogEntry, type CatalogEntry } from '@doitong/adapters';
import { requestFor } from './helpers';

/** The seed page's samples (shared/seed/000_…txt): they must validate against the option specs. */
const explicitSamples: [string, GenerationType, string, GenerationInput, Record<string, JsonValue>][] = [
  [
    'curl / JS: minimax video',
    'VIDEO',
    'minimax',
    { text: 'A serene mountain landscape at sunset' },
    { duration: 10, resolution: '1080p', style: 'cinematic' },
  ],
  ['GraphQL: kling video', 'VIDEO', 'kling', { text: 'Epic space battle scene' }, { mode: 'pro', duration: 10, aspectRatio: '16:9' }],
  [
    'GraphQL: runway image-to-video',
    'VIDEO',
    'runway',
    { text: 'Make the character dance', image: 'https://example.com/character.jpg' },
    { motionIntensity: 'high', model: 'gen-3' },
  ],
  [
    'GraphQL: flux-ultra image',
    'IMAGE',
    'flux-ultra',
    { text: 'Photorealistic portrait in Rembrandt style' },
    { aspectRatio: '16:9', quality: 'ultra', seed: 42 },
  ],
  ['Python: flux-ultra image', 'IMAGE', 'flux-ultra', { text: 'Professional product photography' }, { aspectRatio: '16:9', quality: 'ultra' }],
  [
    'GraphQL: elevenlabs audio',
    'AUDIO',
    'elevenlabs',
    { text: 'Welcome to the future of artificial intelligence' },
    { voice: 'rachel', emotion: 'excited', speed: 1.0 },
  ],
  ['Python: elevenlabs audio', 'AUDIO', 'elevenlabs', { text: 'Welcome to the future of AI' }, { voice: 'rachel', emotion: 'excited' }],
  [
    'GraphQL: heygen avatar',
    'AVATAR',
    'heygen',
    { text: "Hello, I'm your AI assistant", voice: 'professional_female' },
    { avatarId: 'kate', background: 'modern_office', gesture: 'friendly' },
  ],
  ['Apollo videoCreate: luma', 'VIDEO', 'luma', { text: 'Beautiful sunset over ocean' }, { duration: 9 }],
];

/** Providers that could serve a request: the inputs fit and the options validate (what the router checks). */
function candidates(type: GenerationType, input: GenerationInput, options: Record<string, JsonValue>): CatalogEntry[] {
  return catalog.filter((entry) => {
    const support = entry.inputs[type];
    if (!entry.types.includes(type) || !support) return false;
    for (const [field, use] of Object.entries(support)) {
      const given = input[field as keyof GenerationInput] !== undefined;
      if ((use === 'required' && !given) || (use === 'unsupported' && given)) return false;
    }
    try {
      validateOptions(entry, type, options);
    } catch {
      return false;
    }
    return entry.check?.(requestFor(entry, type, input, options)) === undefined;
  });
}

describe("the seed's samples", () => {
  it.each(explicitSamples)('%s validates and is priced', (_name, type, providerId, input, options) => {
    const entry = catalogEntry(providerId);
    expect(entry).toBeDefined();
    const request = requestFor(entry!, type, input, options);
    expect(entry!.check?.(request)).toBeUndefined();
    expect(entry!.price(request).creditCost).toBeGreaterThan(0);
  });

  it('renders minimax 10 s at 1080p as 10 s at 768P, saying so', () => {
    const entry = catalogEntry('minimax')!;
    const plan = entry.plan(requestFor(entry, 'VIDEO', { text: 'x' }, { duration: 10, resolution: '1080p', style: 'cinematic' }));
    expect(plan).toMatchObject({ width: 1366, height: 768, duration: 10 });
    expect(plan.adjustments.join(' ')).toContain('768P');
  });

  it('serves the seed’s runway gen-3 on gen4_turbo, the oldest model Runway’s API still offers, and says so', () => {
    const entry = catalogEntry('runway')!;
    const request = requestFor(
      entry,
      'VIDEO',
      { text: 'Make the character dance', image: 'https://example.com/character.jpg' },
      { motionIntensity: 'high', model: 'gen-3' },
    );
    const plan = entry.plan(request);
    expect(plan).toMatchObject({ wireModel: 'gen4_turbo', width: 1280, height: 720 });
    expect(plan.adjustments.join(' ')).toContain('gen4_turbo');
  });

  it.each([
    ['duration, resolution and style', { duration: 10, resolution: '1080p', style: 'cinematic' }],
    ['duration and resolution', { duration: 10, resolution: '1080p' }],
    ['no options', {}],
  ] as const)('auto-selected VIDEO with %s has several providers', (_name, options) => {
    const found = candidates('VIDEO', { text: 'A majestic eagle soaring through clouds' }, { ...options });
    expect(found.length, found.map((entry) => entry.id).join(', ')).toBeGreaterThanOrEqual(2);
  });

  it('auto-selected IMAGE (priority QUALITY, no options) has a provider, best quality first', () => {
    const found = candidates('IMAGE', { text: 'Photorealistic portrait' }, {});
    expect(found.length).toBeGreaterThanOrEqual(5);
    const best = [...found].sort((first, second) => second.traits.quality - first.traits.quality)[0];
    expect(best?.id).toBe('flux-ultra');
  });
});
