export { bindingTestSuite, type BindingSuiteOptions } from './binding-suite';
export { registerAudits, type ServerAudits } from './binding-audits';
export { fakeOutput, fakeProvider, type FakeProviderOptions } from './fake-provider';
export { abandonRequest, chunkedBody, eventually, postGraphQL, probe, type ProbeResponse } from './http-probe';
export { listen, type RunningHost } from './listen';
export { manualClock, type ManualClock } from './manual-clock';
export type { TestApi } from './test-api';
