export * from './catalog';
export { sandboxProviders, sandboxModes, sandboxOptions, type SandboxAdapter, type SandboxMode, type SandboxOptions } from './sandbox';
export { liveProviders, defaultBaseUrls, credentialVariables, type LiveCredentials, type LiveProvidersOptions, type LiveAdapter, type ProviderFamily } from './transports/live';
export { replicateGateway } from './transports/replicate';
export { falGateway } from './transports/fal';
export type { GatewayModelOptions, GatewayAdapter } from './transports/gateway';
export { klingJwt } from './transports/kling';
export { verifyStandardWebhook } from './transports/common';
export { httpClient, UpstreamFailure, type HttpSettings, type Classifier, type Classification, type ProviderResponse } from './transports/http';
