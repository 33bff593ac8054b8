/**
 * How the worker's steps call a provider: the adapter now serving a generation, the request and
 * context each call gets (a timeout signal, the callback URL), and the span around the call when
 * the host turned telemetry on. Every step calls providers the same way, so it is written once.
 */
import { DoitongError } from '../../errors';
import type { GenerationRequest } from '../../providers/generation-request';
import type { ProviderAdapter } from '../../providers/provider-adapter';
import type { ProviderCallContext } from '../../providers/provider-call-context';
import { defaultCallTimeoutMilliseconds } from '../defaults';
import type { ProviderCall } from '../engine-telemetry';
import type { Generation } from '../generation';
import { now, type WorkerState } from './worker-state';

export function adapterOf(state: WorkerState, generation: Generation): ProviderAdapter {
  const adapter = state.dependencies.registry.resolve(generation.provider, generation.livemode ? 'live' : 'test');
  if (!adapter) throw new DoitongError('PROVIDER_UNAVAILABLE', `Provider "${generation.provider}" is no longer registered.`);
  return adapter;
}

export function requestOf(generation: Generation): GenerationRequest {
  return {
    generationId: generation.id,
    accountId: generation.accountId,
    type: generation.type,
    model: generation.model ?? undefined,
    input: generation.input,
    options: generation.options,
    livemode: generation.livemode,
  };
}

export function callContext(state: WorkerState, generation: Generation): ProviderCallContext {
  const callbackUrl = state.dependencies.callbackUrl?.(generation.provider, generation.id);
  let signal: AbortSignal | undefined;
  const timeout = callTimeout(state);
  const context = {
    // Made when a transport first asks for it: a timeout signal is a timer, and a provider that answers from memory (the sandbox) never needs one.
    get signal() {
      return (signal ??= AbortSignal.timeout(timeout));
    },
    now: () => now(state),
  } as ProviderCallContext;
  if (callbackUrl) context.callbackUrl = callbackUrl;
  return context;
}

export function callTimeout(state: WorkerState): number {
  return state.dependencies.providerCallTimeoutMilliseconds ?? defaultCallTimeoutMilliseconds;
}

/** A provider call, inside its span when the host turned telemetry on. */
export function callProvider<Result>(
  state: WorkerState,
  operation: ProviderCall['operation'],
  generation: Generation,
  adapter: ProviderAdapter,
  run: () => Promise<Result>,
  outcome: (result: Result) => string,
): Promise<Result> {
  const telemetry = state.dependencies.telemetry;
  if (!telemetry) return run();
  // The provider now serving is the one after those whose attempts already ended.
  const attempt = generation.attempts.filter((each) => each.endedAt !== null).length + 1;
  return telemetry.providerCall(
    { operation, provider: adapter.id, model: generation.model, type: generation.type, generationId: generation.id, attempt },
    run,
    outcome,
  );
}
