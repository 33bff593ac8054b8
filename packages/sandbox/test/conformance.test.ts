import type { GenerationInput, GenerationType, JsonValue, ProviderAdapter, ProviderCallContext } from '@doitong/core';
import { providerConformanceSuite, type MockBehaviour } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { sandboxProviders, type SandboxMode } from '@doitong/sandbox';

/**
 * The sandbox passes the same conformance suite as the live adapters and a host's own: it is what
 * test-mode keys are served by, so it must behave as a provider does. One provider per kind of
 * file the sandbox makes (a picture, speech, a video, a talking avatar); the transport is the same
 * code for every catalog entry. What the mock of a live provider is told to do, the sandbox is told
 * through its own `sandbox` option, as a test-mode caller would; it cannot drop a connection
 * unanswered, so the test of an unknown outcome is left out.
 */
const modes: Record<Exclude<MockBehaviour, 'no-answer'>, SandboxMode> = {
  succeed: 'succeed',
  fail: 'fail',
  unavailable: 'unavailable',
  'never-finish': 'timeout',
};

const targets: Array<{ provider: string; type: GenerationType; input: GenerationInput; options?: Record<string, JsonValue> }> = [
  { provider: 'flux-ultra', type: 'IMAGE', input: { text: 'A lighthouse at dusk' }, options: { aspectRatio: '1:1' } },
  { provider: 'elevenlabs', type: 'AUDIO', input: { text: 'Hello from the sandbox.' } },
  { provider: 'kling', type: 'VIDEO', input: { text: 'A paper boat on a pond' }, options: { duration: 5 } },
  { provider: 'heygen', type: 'AVATAR', input: { text: 'Welcome to the sandbox.', voice: 'professional_female' } },
];

for (const { provider, type, input, options } of targets) {
  providerConformanceSuite(vitest, {
    name: `sandbox ${provider}`,
    behaviours: ['succeed', 'fail', 'unavailable', 'never-finish'],
    async setup() {
      const [adapter] = sandboxProviders({ providers: [provider], latencyMilliseconds: 300, maxVideoResolution: 96 });
      let mode: SandboxMode = 'succeed';
      const calls = { create: 0, cancel: 0 };
      return {
        adapter: countingCalls(adapter!, calls),
        get request() {
          return { type, input, options: { ...options, sandbox: mode } };
        },
        synchronous: false,
        behave(behaviour) {
          if (behaviour === 'no-answer') throw new Error('the sandbox cannot drop a connection unanswered');
          mode = modes[behaviour];
        },
        createCalls: () => calls.create,
        cancelCalls: () => calls.cancel,
        close: async () => {},
      };
    },
  });
}

/**
 * The sandbox adapter, counting the calls a mock server would count. Its jobs run on the wall
 * clock, as a provider's do: the suite's engine clock stands still unless a test moves it past the
 * maximum job time, and a sandbox job times itself by the clock it is lent.
 */
function countingCalls(adapter: ProviderAdapter, calls: { create: number; cancel: number }): ProviderAdapter {
  const wallClock = (context: ProviderCallContext): ProviderCallContext => ({
    get signal() {
      return context.signal;
    },
    now: () => Date.now(),
    ...(context.callbackUrl !== undefined ? { callbackUrl: context.callbackUrl } : {}),
  });
  return {
    ...adapter,
    async start(request, context) {
      calls.create++;
      return adapter.start(request, wallClock(context));
    },
    status: (handle, request, context) => adapter.status!(handle, request, wallClock(context)),
    async cancel(handle, request, context) {
      calls.cancel++;
      return adapter.cancel!(handle, request, wallClock(context));
    },
  };
}
