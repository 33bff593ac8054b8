/**
 * `@doitong/core/provider-utils`: what a provider transport needs besides the contract, so a host's
 * own adapter is written like the catalog's, with no hand-written undici or error mapping. The
 * catalog's live transports (`@doitong/adapters`) use these very functions.
 *
 * - `httpClient(settings, classify)`: the one HTTP helper. Every failure becomes a ProviderError
 *   whose `acceptance` tells the engine whether the job can exist at the provider.
 * - Failure classification: `defaultClassifier`, or a provider's own `Classifier` built on
 *   `statusCode` and `messageOf`; `UpstreamFailure` for an error inside a 2xx answer.
 * - `multipart` bodies, defensive JSON readers (`objectOf`, `stringOf`, `numberOf`, `requiredId`)
 *   and callback helpers (`verifyStandardWebhook`, `callbackJson`, `headerOf`, `unsignedCallback`).
 */
export { httpClient, type CallOptions, type HttpCall, type HttpSettings, type ProviderResponse } from './http-client';
export { defaultClassifier, messageOf, statusCode, UpstreamFailure, type Classification, type Classifier, type HttpFailure } from './failure-classification';
export { multipart } from './multipart';
export { numberOf, objectOf, requiredId, stringOf } from './json-fields';
export { callbackJson, headerOf, unsignedCallback, verifyStandardWebhook } from './callbacks';
