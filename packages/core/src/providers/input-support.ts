import type { GenerationInput } from './generation-input';
import type { GenerationType } from './generation-type';
import type { InputSupport } from './input-use';
import type { ProviderDescription } from './provider-description';

const fields = ['text', 'image', 'voice', 'audio', 'video', 'negativePrompt'] as const satisfies ReadonlyArray<keyof InputSupport>;

/**
 * Why `description` cannot take `input` for `type`, or undefined when it can:
 * a required field missing, or a field the provider does not use.
 */
export function inputProblem(description: ProviderDescription, type: GenerationType, input: GenerationInput): string | undefined {
  const support = description.inputs[type];
  if (!description.types.includes(type) || !support) return `${description.id} does not generate ${type}`;
  for (const field of fields) {
    const use = support[field] ?? 'unsupported';
    const given = input[field] !== undefined && input[field] !== null && input[field] !== '';
    if (use === 'required' && !given) return `${description.id} needs input.${field} for ${type}`;
    if (use === 'unsupported' && given) return `${description.id} does not accept input.${field} for ${type}`;
  }
  return undefined;
}
