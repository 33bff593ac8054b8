import { DoitongError, validateOptions, type ProviderDescription } from '@doitong/core';
import { describe, expect, it } from 'vitest';

const description = {
  id: 'example',
  options: [
    { name: 'duration', type: 'integer', description: 'Seconds.', allowedValues: [5, 10], default: 5 },
    { name: 'speed', type: 'number', description: 'Speed.', minimum: 0.5, maximum: 2 },
    { name: 'prompt', type: 'string', description: 'Extra.', maxLength: 4 },
    { name: 'loop', type: 'boolean', description: 'Loop.' },
    { name: 'voice', type: 'string', description: 'Voice.', required: true, types: ['AUDIO'] },
  ],
} satisfies Pick<ProviderDescription, 'id' | 'options'>;

function refusal(run: () => unknown): DoitongError {
  try {
    run();
  } catch (error) {
    if (error instanceof DoitongError) return error;
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('validateOptions', () => {
  it('applies defaults and keeps given values', () => {
    expect(validateOptions(description, 'VIDEO', { speed: 1 })).toEqual({ duration: 5, speed: 1 });
    expect(validateOptions(description, 'VIDEO', undefined)).toEqual({ duration: 5 });
    expect(validateOptions(description, 'VIDEO', { duration: null })).toEqual({ duration: 5 });
  });

  it('answers a request without options with the defaults, one frozen object for every such request, and still refuses a missing required option', () => {
    const first = validateOptions(description, 'VIDEO', {});
    expect(first).toEqual({ duration: 5 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(validateOptions(description, 'VIDEO', null)).toBe(first);
    expect(validateOptions(description, 'VIDEO', { speed: 1 })).not.toBe(first);
    expect(refusal(() => validateOptions(description, 'AUDIO', {})).message).toContain('voice');
    expect(refusal(() => validateOptions(description, 'AUDIO', {})).message).toContain('voice');
    expect(refusal(() => validateOptions(description, 'VIDEO', '' as never)).message).toContain('must be an object');
  });

  it('refuses an unknown option, naming it and listing the declared ones', () => {
    const error = refusal(() => validateOptions(description, 'VIDEO', { aspect_ratio: '16:9' }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('aspect_ratio');
    expect(error.details).toEqual({ option: 'aspect_ratio', allowedValues: ['duration', 'speed', 'prompt', 'loop'] });
  });

  it('refuses a value outside allowedValues with the allowed values', () => {
    const error = refusal(() => validateOptions(description, 'VIDEO', { duration: 7 }));
    expect(error.details).toMatchObject({ option: 'duration', allowedValues: [5, 10] });
    expect(error.message).toMatch(/duration.*5, 10/);
  });

  it('checks types, ranges and lengths', () => {
    expect(refusal(() => validateOptions(description, 'VIDEO', { duration: '5' })).details.option).toBe('duration');
    expect(refusal(() => validateOptions(description, 'VIDEO', { duration: 5.5 })).details.option).toBe('duration');
    expect(refusal(() => validateOptions(description, 'VIDEO', { speed: 3 })).details).toMatchObject({ option: 'speed', maximum: 2 });
    expect(refusal(() => validateOptions(description, 'VIDEO', { prompt: 'too long' })).details.option).toBe('prompt');
    expect(refusal(() => validateOptions(description, 'VIDEO', { loop: 'yes' })).details.option).toBe('loop');
  });

  it('applies type-scoped options only to their types, and enforces required ones', () => {
    expect(refusal(() => validateOptions(description, 'VIDEO', { voice: 'rachel' })).details.option).toBe('voice');
    expect(refusal(() => validateOptions(description, 'AUDIO', {})).details.option).toBe('voice');
    expect(validateOptions(description, 'AUDIO', { voice: 'rachel' })).toEqual({ duration: 5, voice: 'rachel' });
  });
});
