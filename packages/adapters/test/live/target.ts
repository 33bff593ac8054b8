import type { ConformanceTarget } from '@doitong/core/testing';
import { liveProviders, type LiveAdapter, type LiveCredentials, type ProviderFamily } from '@doitong/adapters';
import type { MockServer } from '../mocks/mock-server';

export interface LiveTarget extends ConformanceTarget {
  adapter: LiveAdapter;
  mock: MockServer;
}

/** A catalog adapter with its live transport pointed at a family's mock, as the conformance kit takes it. */
export async function liveTarget(options: {
  mock: () => Promise<MockServer>;
  id: string;
  family: ProviderFamily;
  credentials: LiveCredentials;
  request: ConformanceTarget['request'];
  failureCode?: ConformanceTarget['failureCode'];
  timeouts?: { headersMilliseconds?: number };
}): Promise<LiveTarget> {
  const mock = await options.mock();
  const adapter = liveAdapter(options.id, options.family, mock.url, options.credentials, options.timeouts);
  return {
    adapter,
    mock,
    request: options.request,
    synchronous: adapter.synchronous,
    ...(options.failureCode ? { failureCode: options.failureCode } : {}),
    behave: (behaviour) => {
      mock.behaviour = behaviour;
    },
    createCalls: () => mock.createCalls(),
    cancelCalls: () => mock.cancelCalls(),
    close: () => mock.close(),
  };
}

export function liveAdapter(
  id: string,
  family: ProviderFamily,
  baseUrl: string,
  credentials: LiveCredentials,
  timeouts?: { headersMilliseconds?: number },
): LiveAdapter {
  const adapter = liveProviders({ credentials, env: {}, baseUrls: { [family]: baseUrl }, providers: [id], ...(timeouts ? { timeouts } : {}) })[0];
  if (!adapter) throw new Error(`no live adapter ${id}`);
  return adapter;
}

/** A call context as the engine lends it. */
export function context(callbackUrl?: string) {
  return { signal: AbortSignal.timeout(10_000), now: () => Date.now(), ...(callbackUrl ? { callbackUrl } : {}) };
}
