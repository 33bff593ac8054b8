import type { ProviderDescription } from './provider-description';
import type { ProviderTransport } from './provider-transport';

/**
 * A provider as `registerProvider` (and `createDoitong({ providers })`) takes it: what it says
 * about itself and its moving part, in one object. The registry checks its shape and its
 * `contractVersion` when it is registered; `providerConformanceSuite` (`@doitong/core/testing`)
 * checks its behaviour through the whole engine.
 */
export interface ProviderAdapter extends ProviderDescription, ProviderTransport {}
