import { ProviderError, type ProviderTransport } from '@doitong/core';
import type { HttpSettings } from '@doitong/core/provider-utils';
import type { CatalogEntry } from '../catalog/entry';

/** A live transport: the catalog entry's moving part, with the reason it cannot serve (no key). */
export type LiveTransport = ProviderTransport & { livemode: true; unavailableReason(): string | undefined };

/** What each family's transport factory receives. */
export interface FamilySettings<Credentials> extends HttpSettings {
  /** Undefined when no credentials were given or found in the environment. */
  credentials: Credentials | undefined;
  /** The environment variables that would have provided them, for the unavailable reason. */
  credentialHint: string;
}

/** The reason a transport without credentials gives, shown as `available: false`. */
export function missingCredentials(settings: FamilySettings<unknown>): () => string | undefined {
  return () => (settings.credentials ? undefined : `no credentials: set ${settings.credentialHint} or pass them to liveProviders({ credentials })`);
}

/** Credentials are checked again at call time: a request must never go out unauthenticated. */
export function requireCredentials<Credentials>(entry: CatalogEntry, settings: FamilySettings<Credentials>): Credentials {
  if (!settings.credentials) throw new ProviderError('PROVIDER_UNAVAILABLE', missingCredentials(settings)()!, { providerId: entry.id, acceptance: 'rejected' });
  return settings.credentials;
}
