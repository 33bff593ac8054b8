export * from './generation-type';
export type { OptionSpec } from './option-spec';
export type { GenerationInput, GenerationRequest } from './generation-request';
export type { GenerationMetadata } from './generation-metadata';
export type {
  InputSupport,
  InputUse,
  PriceQuote,
  ProviderDescription,
  ProviderModel,
  ProviderTraits,
} from './provider-description';
export type {
  ProviderCallContext,
  ProviderCallbackRequest,
  ProviderCallbackResult,
  ProviderJob,
  ProviderOutput,
  ProviderStatus,
  ProviderTransport,
} from './provider-transport';
export type { ProviderAdapter } from './provider-adapter';
export { optionsFor, validateOptions } from './validate-options';
