import type { JsonValue, OptionSpec, ProviderModel } from '@doitong/core';

/** The `model` option: its allowed values are the provider's model ids, so nothing is listed twice. */
export function modelOption(models: readonly ProviderModel[], defaultModel: string, description?: string): OptionSpec {
  return {
    name: 'model',
    type: 'string',
    description: description ?? `Model or version. Default ${defaultModel}.`,
    allowedValues: models.map((model) => model.id),
    default: defaultModel,
  };
}

export function seedOption(maximum: number, description?: string): OptionSpec {
  return {
    name: 'seed',
    type: 'integer',
    description: description ?? 'Seed for reproducible output; the same prompt and seed give the same result. Random when absent.',
    minimum: 0,
    maximum,
  };
}

export function aspectRatioOption(values: readonly string[], defaultValue: string | undefined, description?: string): OptionSpec {
  return {
    name: 'aspectRatio',
    type: 'string',
    description: description ?? 'Width:height of the output.',
    allowedValues: values,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
  };
}

export function durationOption(values: readonly number[], defaultValue: number, description: string): OptionSpec {
  return { name: 'duration', type: 'integer', description, allowedValues: values, default: defaultValue };
}

export function choiceOption(name: string, values: readonly JsonValue[], defaultValue: JsonValue | undefined, description: string): OptionSpec {
  return {
    name,
    type: valueType(values),
    description,
    allowedValues: values,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
  };
}

function valueType(values: readonly JsonValue[]): OptionSpec['type'] {
  if (values.every((value) => typeof value === 'number')) {
    return values.every((value) => Number.isInteger(value)) ? 'integer' : 'number';
  }
  return values.every((value) => typeof value === 'boolean') ? 'boolean' : 'string';
}
