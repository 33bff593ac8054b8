/**
 * The provider contract, one documented type per file, versioned by `providerContractVersion`:
 * what an adapter says about itself (`ProviderDescription`, with `ProviderModel`, `InputSupport`,
 * `OptionSpec`, `ProviderTraits`, `PriceQuote`), what it receives (`GenerationRequest` and its
 * `GenerationInput`, `ProviderCallContext`, `ProviderCallbackRequest`) and what it returns
 * (`ProviderJob`, `ProviderStatus`, `ProviderOutput`, `GenerationMetadata`, `ProviderCallbackResult`).
 */
export * from './generation-type';
export type { OptionSpec } from './option-spec';
export type { GenerationInput } from './generation-input';
export type { GenerationRequest } from './generation-request';
export type { GenerationMetadata } from './generation-metadata';
export type { InputSupport, InputUse } from './input-use';
export type { PriceQuote } from './price-quote';
export type { ProviderModel } from './provider-model';
export type { ProviderTraits } from './provider-traits';
export type { ProviderDescription } from './provider-description';
export type { ProviderCallContext } from './provider-call-context';
export type { ProviderCallbackRequest } from './provider-callback-request';
export type { ProviderCallbackResult } from './provider-callback-result';
export type { ProviderJob } from './provider-job';
export type { ProviderOutput } from './provider-output';
export type { ProviderStatus } from './provider-status';
export type { ProviderTransport } from './provider-transport';
export type { ProviderAdapter } from './provider-adapter';
export { providerContractVersion } from './contract-version';
export { optionsFor, validateOptions } from './validate-options';
