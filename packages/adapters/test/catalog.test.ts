import { generationTypes, validateOptions, type GenerationType, type JsonValue, type OptionSpec } from '@doitong/core';
import { describe, expect, it } from 'vitest';
import { catalog, type CatalogEntry } from '@doitong/adapters';
import { requestFor } from './helpers';

const requiredIds = ['kling', 'minimax', 'veo', 'runway', 'luma', 'flux-ultra', 'imagen', 'stable-diffusion', 'elevenlabs', 'google-tts', 'heygen'];

function inputFor(entry: CatalogEntry, type: GenerationType) {
  const support = entry.inputs[type];
  return {
    ...(support?.text !== 'unsupported' ? { text: 'A lighthouse on a cliff at dusk, waves below' } : {}),
    ...(support?.image === 'required' ? { image: 'https://example.com/character.jpg' } : {}),
    ...(support?.video === 'required' || entry.id === 'sync-lipsync' ? { video: 'https://example.com/dance.mp4' } : {}),
  };
}

/** Every combination of a spec's allowed values (bounded), to price each one. */
function variations(entry: CatalogEntry, type: GenerationType): Record<string, JsonValue>[] {
  const enumerated = entry.options.filter(
    (spec) =>
      spec.allowedValues &&
      (spec.types === undefined || spec.types.includes(type)) &&
      ['model', 'duration', 'resolution', 'mode', 'quality', 'imageSize', 'aspectRatio'].includes(spec.name),
  );
  let combinations: Record<string, JsonValue>[] = [{}];
  for (const spec of enumerated) {
    combinations = combinations.flatMap((combination) => (spec.allowedValues ?? []).map((value) => ({ ...combination, [spec.name]: value })));
  }
  return combinations;
}

describe('the catalog', () => {
  it('has unique ids including every id the seed and design name', () => {
    const ids = catalog.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of requiredIds) expect(ids).toContain(id);
  });

  it('offers 30 or more models, each with a unique id within its provider', () => {
    const total = catalog.reduce((sum, entry) => sum + entry.models.length, 0);
    expect(total).toBeGreaterThanOrEqual(30);
    for (const entry of catalog) {
      const modelIds = entry.models.map((model) => model.id);
      expect(new Set(modelIds).size, entry.id).toBe(modelIds.length);
      if (entry.defaultModel !== undefined) expect(modelIds, entry.id).toContain(entry.defaultModel);
    }
  });

  it('covers every generation type', () => {
    for (const type of generationTypes)
      expect(
        catalog.some((entry) => entry.types.includes(type)),
        type,
      ).toBe(true);
  });

  it.each(catalog.map((entry) => [entry.id, entry] as const))('%s is described honestly and completely', (_id, entry) => {
    expect(entry.name.length).toBeGreaterThan(0);
    expect(entry.description.length).toBeGreaterThan(30);
    expect(entry.features.length).toBeGreaterThanOrEqual(3);
    expect(entry.limitations.length).toBeGreaterThanOrEqual(2);
    for (const trait of Object.values(entry.traits)) {
      expect(Number.isInteger(trait) && trait >= 1 && trait <= 10).toBe(true);
    }
    expect(entry.maxJobTime).toBeGreaterThan(0);
    expect(entry.cancellation?.note.length).toBeGreaterThan(10);
    for (const type of entry.types) expect(entry.inputs[type], `${entry.id} inputs for ${type}`).toBeDefined();
    if (entry.models.length > 1) expect(entry.options.some((spec) => spec.name === 'model')).toBe(true);
  });

  it.each(catalog.map((entry) => [entry.id, entry] as const))('%s has well-formed option specs', (_id, entry) => {
    const names = entry.options.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of entry.options) checkSpec(entry.id, spec);
    // The model option lists exactly the provider's models.
    const model = entry.options.find((spec) => spec.name === 'model');
    if (model) expect(model.allowedValues).toEqual(entry.models.map((item) => item.id));
    // No option may be required: every provider serves a request with no options at all.
    for (const type of entry.types) expect(() => validateOptions(entry, type, {})).not.toThrow();
  });

  it.each(catalog.map((entry) => [entry.id, entry] as const))('%s prices every variation in whole positive credits', (_id, entry) => {
    for (const type of entry.types) {
      for (const options of variations(entry, type)) {
        const request = requestFor(entry, type, inputFor(entry, type), options);
        const quote = entry.price(request);
        expect(Number.isInteger(quote.creditCost) && quote.creditCost > 0, `${entry.id} ${JSON.stringify(options)}`).toBe(true);
        expect(quote.estimatedTime).toBeGreaterThan(0);
        expect(entry.price(request)).toEqual(quote); // pure
        const plan = entry.plan(request);
        expect(plan.wireModel.length).toBeGreaterThan(0);
        if (plan.kind !== 'audio') expect((plan.width ?? 0) > 0 && (plan.height ?? 0) > 0).toBe(true);
        if (plan.kind === 'video') expect((plan.width! % 2) + (plan.height! % 2)).toBe(0);
      }
    }
  });
});

function checkSpec(providerId: string, spec: OptionSpec): void {
  const where = `${providerId}.${spec.name}`;
  expect(['string', 'integer', 'number', 'boolean'], where).toContain(spec.type);
  expect(spec.description.length, where).toBeGreaterThan(5);
  const fits = (value: JsonValue) =>
    spec.type === 'string'
      ? typeof value === 'string'
      : spec.type === 'boolean'
        ? typeof value === 'boolean'
        : spec.type === 'integer'
          ? Number.isInteger(value)
          : typeof value === 'number';
  for (const value of spec.allowedValues ?? []) expect(fits(value), `${where} allows ${JSON.stringify(value)}`).toBe(true);
  if (spec.default !== undefined) {
    expect(fits(spec.default), `${where} default`).toBe(true);
    if (spec.allowedValues) expect(spec.allowedValues, `${where} default`).toContain(spec.default);
    if (spec.minimum !== undefined) expect(spec.default as number, where).toBeGreaterThanOrEqual(spec.minimum);
    if (spec.maximum !== undefined) expect(spec.default as number, where).toBeLessThanOrEqual(spec.maximum);
  }
  if (spec.minimum !== undefined && spec.maximum !== undefined) expect(spec.minimum, where).toBeLessThanOrEqual(spec.maximum);
  expect(spec.required ?? false, where).toBe(false);
  for (const type of spec.types ?? []) expect(generationTypes, where).toContain(type);
}
