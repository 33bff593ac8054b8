/**
 * What the router reads about measured provider health, and the key that health is kept under.
 * The router only reads it (ProviderHealth in `health.ts` keeps it), so it depends on this view,
 * not on how health is measured.
 */
import type { ProviderAdapter } from './provider-adapter';

/**
 * The key a provider's health is kept under: its id for live traffic, `<id>@test` for the sandbox
 * twin, so simulated failures of test-mode keys never open a live provider's circuit.
 */
export function healthKey(adapter: Pick<ProviderAdapter, 'id' | 'livemode'>): string {
  return adapter.livemode ? adapter.id : `${adapter.id}@test`;
}

/** Moving averages the engine keeps per provider (see ProviderHealth). */
export interface ProviderMeasurement {
  /** Share of recent attempts that did not fail for the provider's fault, 0 to 1. */
  successRate: number;
  /** Recent seconds from submission to completion, or null before any completed job. */
  latencySeconds: number | null;
  /** Recent measured latency over the provider's own estimate (1 = as estimated), or null. */
  latencyRatio: number | null;
  samples: number;
}

/** What the engine has measured about a provider; absent until it has seen traffic. */
export interface ProviderHealthView {
  /** False while the circuit is open: the provider is not chosen. */
  isSelectable(providerId: string): boolean;
  /** Measured success and latency, so selection prefers providers that are fast and reliable now. */
  measured?(providerId: string): ProviderMeasurement | undefined;
  /** Told when a provider is chosen, so a half-open circuit lets exactly one probe through. */
  selected?(providerId: string): void;
}
