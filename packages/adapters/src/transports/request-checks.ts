import { ProviderError, type GenerationRequest } from '@doitong/core';
import type { CatalogEntry } from '../catalog/entry';

/** Refuses, before any call, a request the provider cannot serve (the catalog's cross-field rules). */
export function refuseInvalid(entry: CatalogEntry, request: GenerationRequest, extra?: string): void {
  const problem = extra ?? entry.check?.(request);
  if (problem !== undefined) throw new ProviderError('INVALID_INPUT', problem, { providerId: entry.id, acceptance: 'rejected' });
}
