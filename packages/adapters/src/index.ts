export * from './catalog';
// Typed reads of validated options and the resolution label, for any provider built on the catalog (the sandbox is one).
export { stringOption, numberOption, booleanOption, modelOf } from './catalog/shared/request-options';
export { resolutionLabel } from './catalog/shared/dimensions';
export {
  liveProviders,
  defaultBaseUrls,
  credentialVariables,
  type LiveCredentials,
  type LiveProvidersOptions,
  type LiveAdapter,
  type ProviderFamily,
} from './transports/live';
export { replicateGateway } from './transports/replicate';
export { falGateway } from './transports/fal';
export type { GatewayModelOptions, GatewayAdapter } from './transports/gateway';
export { klingJwt } from './transports/kling';
// The HTTP helper and webhook verification live in core (`@doitong/core/provider-utils`), for hosts' own adapters too.
export {
  verifyStandardWebhook,
  httpClient,
  UpstreamFailure,
  type HttpSettings,
  type Classifier,
  type Classification,
  type ProviderResponse,
} from '@doitong/core/provider-utils';
