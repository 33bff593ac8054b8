import type { GenerationRequest } from '@doitong/core';

/** Typed reads of validated options: the engine applied defaults, so absent means "not set". */
export function stringOption(request: GenerationRequest, name: string): string | undefined {
  const value = request.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberOption(request: GenerationRequest, name: string): number | undefined {
  const value = request.options[name];
  return typeof value === 'number' ? value : undefined;
}

export function booleanOption(request: GenerationRequest, name: string): boolean | undefined {
  const value = request.options[name];
  return typeof value === 'boolean' ? value : undefined;
}

/** The resolved model, or the given default when a request was built without one. */
export function modelOf(request: GenerationRequest, fallback: string): string {
  return request.model ?? stringOption(request, 'model') ?? fallback;
}
