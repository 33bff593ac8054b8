/** A JSON object read defensively: providers add and drop fields, schemas must not break on it. */
export function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The job id in a create call's answer; an answer without one is the provider's fault, not ours. */
export function requiredId(value: unknown, field: string): string {
  const id = stringOf(value);
  if (!id) throw new Error(`no ${field} in the create answer`);
  return id;
}
