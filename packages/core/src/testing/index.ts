export {
  bindingTestSuite,
  idempotencyScenarios,
  type BindingSuiteOptions,
  type IdempotencyHarness,
  type IdempotencySend,
  type SentResponse,
} from './binding-suite';
export { registerAudits, type ServerAudits } from './binding-audits';
export { fakeOutput, fakeProvider, type FakeProviderOptions } from './fake-provider';
export { abandonRequest, chunkedBody, postGraphQL, probe, type ProbeResponse } from './http-probe';
export { eventually, type EventuallyOptions } from './eventually';
export { queueIdle } from './queue-idle';
export { listen, type RunningHost } from './listen';
export { manualClock, type ManualClock } from './manual-clock';
export type { TestApi } from './test-api';
export { assetStoreTestSuite } from './asset-store-suite';
export {
  idempotencyStoreTestSuite,
  ledgerTestSuite,
  locksTestSuite,
  queueTestSuite,
  slotsTestSuite,
  storeTestSuite,
  type Implementation,
} from './store-suites';
export { providerConformanceSuite, type ConformanceTarget, type MockBehaviour, type ProviderConformanceOptions } from './provider-conformance';
export { webhookReceiverTestSuite, type WebhookReceiverSuiteOptions } from './webhook-receiver-suite';
export { liveUpdatesTestSuite, type LiveUpdatesSuiteOptions } from './live-updates-suite';
export { pngHeader } from './png-header';
