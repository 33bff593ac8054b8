import type { ProviderDescription } from './provider-description';
import type { ProviderTransport } from './provider-transport';

/** A catalog entry with its transport: what `registerProvider` takes. */
export interface ProviderAdapter extends ProviderDescription, ProviderTransport {}
