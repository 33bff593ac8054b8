// Wraps the adapter under test so the suite can check every status it reports to the engine.
import type { ProviderAdapter, ProviderStatus } from '@doitong/core';

/**
 * The adapter as the engine sees it, recording every status it reports. Methods are bound to
 * the original, so class-based adapters with private fields work too.
 */
export function observe(adapter: ProviderAdapter, seen: ProviderStatus[], overrides: { maxJobTime?: number }): ProviderAdapter {
  return {
    id: adapter.id,
    contractVersion: adapter.contractVersion,
    name: adapter.name,
    description: adapter.description,
    types: adapter.types,
    models: adapter.models,
    defaultModel: adapter.defaultModel,
    features: adapter.features,
    limitations: adapter.limitations,
    inputs: adapter.inputs,
    options: adapter.options,
    traits: adapter.traits,
    maxJobTime: overrides.maxJobTime ?? adapter.maxJobTime,
    cancellation: adapter.cancellation,
    livemode: adapter.livemode,
    price: (request) => adapter.price(request),
    unavailableReason: adapter.unavailableReason ? () => adapter.unavailableReason!() : undefined,
    async start(request, context) {
      const job = await adapter.start(request, context);
      if (job.status) seen.push(job.status);
      return job;
    },
    status: adapter.status
      ? async (handle, request, context) => {
          const status = await adapter.status!(handle, request, context);
          seen.push(status);
          return status;
        }
      : undefined,
    cancel: adapter.cancel ? (handle, request, context) => adapter.cancel!(handle, request, context) : undefined,
    parseCallback: adapter.parseCallback ? (callback) => adapter.parseCallback!(callback) : undefined,
  };
}
