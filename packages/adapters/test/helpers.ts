import { validateOptions, type GenerationInput, type GenerationRequest, type GenerationType, type JsonValue, type ProviderDescription } from '@doitong/core';

let counter = 0;

/** A request as the engine builds it: options validated with defaults applied, model resolved. */
export function requestFor(
  description: ProviderDescription,
  type: GenerationType,
  input: GenerationInput,
  options: Record<string, JsonValue> = {},
): GenerationRequest {
  const validated = validateOptions(description, type, options);
  counter += 1;
  return {
    generationId: `gen_test_${counter}`,
    accountId: 'acct_test',
    type,
    model: typeof validated.model === 'string' ? validated.model : description.defaultModel,
    input,
    options: validated,
    livemode: false,
  };
}
