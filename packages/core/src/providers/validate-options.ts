import { DoitongError } from '../errors/doitong-error';
import type { GenerationType, JsonValue } from './generation-type';
import type { OptionSpec } from './option-spec';
import type { ProviderDescription } from './provider-description';

/** The option specs that apply to one generation type of a provider. */
export function optionsFor(description: Pick<ProviderDescription, 'options'>, type: GenerationType): OptionSpec[] {
  return description.options.filter((spec) => spec.types === undefined || spec.types.includes(type));
}

/**
 * Checks `options` against a provider's option specs and returns them with defaults applied.
 * The engine runs this before pricing and before any provider call, so a bad value costs the
 * caller nothing: it gets INVALID_INPUT naming the option and what it may be instead.
 * Unknown options are refused too: a misspelt `aspect_ratio` silently ignored would be paid for.
 * A `null` value counts as absent (JSON clients send null for "not set").
 */
export function validateOptions(
  description: Pick<ProviderDescription, 'id' | 'options'>,
  type: GenerationType,
  options: Record<string, JsonValue> | null | undefined,
): Record<string, JsonValue> {
  const entry = prepared(description, type);
  const { specs, declared } = entry;
  const given = options ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new DoitongError('INVALID_INPUT', `"options" must be an object for provider "${description.id}".`, {
      details: { option: 'options', allowedValues: specs.map((spec) => spec.name) },
    });
  }
  // Most requests set no options: every candidate then answers with its defaults, the same frozen
  // object each time rather than a new one per candidate per request.
  if (isEmptyObject(given)) return (entry.defaults ??= Object.freeze(applyOptions(description.id, specs, {})));
  for (const name in given) {
    if (!Object.prototype.hasOwnProperty.call(given, name) || declared.has(name)) continue;
    const names = specs.map((spec) => spec.name);
    throw new DoitongError(
      'INVALID_INPUT',
      `Unknown option "${name}" for provider "${description.id}" (${type}); allowed options: ${names.join(', ') || 'none'}.`,
      {
        details: { option: name, allowedValues: names },
      },
    );
  }

  return applyOptions(description.id, specs, given);
}

function applyOptions(providerId: string, specs: readonly OptionSpec[], given: Record<string, JsonValue>): Record<string, JsonValue> {
  const result: Record<string, JsonValue> = {};
  for (const spec of specs) {
    const value = given[spec.name];
    if (value === undefined || value === null) {
      if (spec.required) throw invalid(providerId, spec, 'is required');
      if (spec.default !== undefined) result[spec.name] = spec.default;
      continue;
    }
    checkValue(providerId, spec, value);
    result[spec.name] = value;
  }
  return result;
}

function isEmptyObject(value: object): boolean {
  for (const name in value) if (Object.prototype.hasOwnProperty.call(value, name)) return false;
  return true;
}

interface PreparedSpecs {
  specs: OptionSpec[];
  declared: ReadonlySet<string>;
  /** The options of a request that set none, once worked out (never, when one is required). */
  defaults?: Readonly<Record<string, JsonValue>>;
}

/**
 * The specs of each type, per options list. The router validates a request's options against
 * every candidate provider on every request; filtering the list and building the name set each
 * time was most of that cost. Keyed by the list itself, so a provider given a new list is seen anew.
 */
const preparedSpecs = new WeakMap<readonly OptionSpec[], Map<GenerationType, PreparedSpecs>>();

function prepared(description: Pick<ProviderDescription, 'options'>, type: GenerationType): PreparedSpecs {
  let byType = preparedSpecs.get(description.options);
  if (!byType) preparedSpecs.set(description.options, (byType = new Map()));
  let entry = byType.get(type);
  if (!entry) {
    const specs = optionsFor(description, type);
    entry = { specs, declared: new Set(specs.map((spec) => spec.name)) };
    byType.set(type, entry);
  }
  return entry;
}

function checkValue(providerId: string, spec: OptionSpec, value: JsonValue): void {
  if (!hasType(spec.type, value)) {
    throw invalid(providerId, spec, `must be ${article(spec.type)} (got ${JSON.stringify(value)})`);
  }
  if (spec.allowedValues !== undefined && !spec.allowedValues.includes(value)) {
    throw invalid(providerId, spec, `must be one of ${spec.allowedValues.map(format).join(', ')} (got ${format(value)})`);
  }
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) {
      throw invalid(providerId, spec, `must be at least ${spec.minimum} (got ${value})`);
    }
    if (spec.maximum !== undefined && value > spec.maximum) {
      throw invalid(providerId, spec, `must be at most ${spec.maximum} (got ${value})`);
    }
  }
  if (typeof value === 'string' && spec.maxLength !== undefined && value.length > spec.maxLength) {
    throw invalid(providerId, spec, `must be at most ${spec.maxLength} characters long (got ${value.length})`);
  }
}

function hasType(type: OptionSpec['type'], value: JsonValue): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

function invalid(providerId: string, spec: OptionSpec, problem: string): DoitongError {
  const range = describeRange(spec);
  return new DoitongError('INVALID_INPUT', `Option "${spec.name}" ${problem} for provider "${providerId}".${range}`, {
    details: {
      option: spec.name,
      ...(spec.allowedValues !== undefined ? { allowedValues: [...spec.allowedValues] } : {}),
      ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
      ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
    },
  });
}

function describeRange(spec: OptionSpec): string {
  if (spec.allowedValues !== undefined) return ` Allowed values: ${spec.allowedValues.map(format).join(', ')}.`;
  if (spec.minimum !== undefined || spec.maximum !== undefined) {
    return ` Allowed range: ${spec.minimum ?? '-∞'} to ${spec.maximum ?? '∞'}.`;
  }
  return '';
}

function format(value: JsonValue): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function article(type: OptionSpec['type']): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}
