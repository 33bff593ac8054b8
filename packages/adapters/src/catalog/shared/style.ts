import type { OptionSpec } from '@doitong/core';

/**
 * Style presets are Doitong's, not a provider's: no video API in the catalog has a style field,
 * so a preset appends a short description to the prompt. Same preset, same words, everywhere.
 */
export const stylePresets = {
  cinematic: 'cinematic shot, dramatic lighting, shallow depth of field, film grain',
  realistic: 'photorealistic, natural lighting, true-to-life detail',
  anime: 'anime style, cel shading, vibrant colours',
  '3d-animation': '3D animated film style, soft global illumination',
  documentary: 'documentary footage, handheld camera, natural colours',
  vintage: 'vintage film look, muted colours, light leaks',
  watercolor: 'watercolour painting style, soft edges, paper texture',
  'neon-noir': 'neon-lit noir, high contrast, rain reflections',
} as const;

export type StylePreset = keyof typeof stylePresets;

export function styleOption(): OptionSpec {
  return {
    name: 'style',
    type: 'string',
    description: 'A look preset. The provider has no style field, so Doitong appends a short style description to the prompt.',
    allowedValues: Object.keys(stylePresets),
  };
}

/** The prompt sent to the provider: the caller's text plus the preset's words. */
export function styledPrompt(text: string | undefined, style: string | undefined): string {
  const prompt = (text ?? '').trim();
  const words = style !== undefined ? stylePresets[style as StylePreset] : undefined;
  if (words === undefined) return prompt;
  return prompt.length > 0 ? `${prompt}. Style: ${words}` : words;
}
