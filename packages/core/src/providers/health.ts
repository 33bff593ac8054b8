import type { Clock } from '../policies/clock';
import type { ProviderHealthView, ProviderMeasurement } from './health-view';

export interface ProviderHealthOptions {
  /** Consecutive provider failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** Seconds an open circuit waits before one probe is let through (default 30). */
  coolDownSeconds?: number;
  /** Weight of the newest observation in the moving averages, 0 to 1 (default 0.2). */
  smoothing?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

interface HealthRecord {
  /** Exponential moving average of successes (1) and provider failures (0). */
  successRate: number;
  /** Exponential moving average of seconds from submission to the end, over completed jobs. */
  latencySeconds: number | null;
  /** Exponential moving average of measured latency over the provider's own estimate. */
  latencyRatio: number | null;
  samples: number;
  consecutiveFailures: number;
  circuit: CircuitState;
  openedAt: number;
  /** A half-open circuit lets one generation through; this is when it was let through. */
  probeAt: number | null;
}

export interface ProviderHealthReport {
  circuit: CircuitState;
  successRate: number;
  latencySeconds: number | null;
  latencyRatio: number | null;
  samples: number;
  consecutiveFailures: number;
}

/** One observation of a provider, reported by the worker when an attempt ends. */
export interface ProviderObservation {
  /** `failure` only for the provider's fault (down, out of money, rate-limited, timed out), never the caller's. */
  outcome: 'success' | 'failure';
  /** Seconds from submission to the end, for successes. */
  latencySeconds?: number;
  /** The provider's own estimate for the request, to compare latency across requests. */
  estimatedSeconds?: number;
}

/**
 * What the engine has measured about each provider: moving averages of success and latency, and a
 * circuit breaker. After `failureThreshold` consecutive provider failures the circuit opens and
 * automatic selection stops choosing the provider; after the cool-down one generation is let
 * through as a probe, and its outcome closes or reopens the circuit. In memory, per instance: each
 * instance learns from the traffic it sends. The clock is injectable so tests move time.
 */
export class ProviderHealth implements ProviderHealthView {
  readonly #records = new Map<string, HealthRecord>();
  readonly #clock: Clock;
  readonly #threshold: number;
  readonly #coolDown: number;
  readonly #smoothing: number;

  constructor(clock: Clock, options: ProviderHealthOptions = {}) {
    this.#clock = clock;
    this.#threshold = Math.max(1, options.failureThreshold ?? 5);
    this.#coolDown = Math.max(0, options.coolDownSeconds ?? 30) * 1000;
    this.#smoothing = Math.min(1, Math.max(0.01, options.smoothing ?? 0.2));
  }

  isSelectable(providerId: string): boolean {
    const record = this.#records.get(providerId);
    if (!record || record.circuit === 'closed') return true;
    const now = this.#clock.now();
    if (record.circuit === 'open') return now - record.openedAt >= this.#coolDown;
    // Half-open: the probe is out; another is allowed only if it never reported back in a cool-down.
    return record.probeAt === null || now - record.probeAt >= this.#coolDown;
  }

  /** Called when a route is chosen: moves a cooled-down circuit to half-open and marks the probe. */
  selected(providerId: string): void {
    const record = this.#records.get(providerId);
    if (!record || record.circuit === 'closed') return;
    const now = this.#clock.now();
    if (record.circuit === 'open' && now - record.openedAt < this.#coolDown) return;
    record.circuit = 'half-open';
    record.probeAt = now;
  }

  measured(providerId: string): ProviderMeasurement | undefined {
    const record = this.#records.get(providerId);
    if (!record || record.samples === 0) return undefined;
    // A circuit waiting for its probe is scored on declared traits alone: the failures that opened
    // it would otherwise keep it from ever being chosen for the probe.
    if (record.circuit !== 'closed') return undefined;
    return { successRate: record.successRate, latencySeconds: record.latencySeconds, latencyRatio: record.latencyRatio, samples: record.samples };
  }

  /** The circuit of a provider, for hosts' dashboards and tests. */
  circuit(providerId: string): CircuitState {
    const record = this.#records.get(providerId);
    if (!record) return 'closed';
    if (record.circuit === 'open' && this.#clock.now() - record.openedAt >= this.#coolDown) return 'half-open';
    return record.circuit;
  }

  /** Everything measured about a provider, for the operators' view; zero samples before its first outcome. */
  report(providerId: string): ProviderHealthReport {
    const record = this.#records.get(providerId);
    return {
      circuit: this.circuit(providerId),
      successRate: record?.successRate ?? 1,
      latencySeconds: record?.latencySeconds ?? null,
      latencyRatio: record?.latencyRatio ?? null,
      samples: record?.samples ?? 0,
      consecutiveFailures: record?.consecutiveFailures ?? 0,
    };
  }

  record(providerId: string, observation: ProviderObservation): void {
    const record = this.#records.get(providerId) ?? {
      successRate: 1,
      latencySeconds: null,
      latencyRatio: null,
      samples: 0,
      consecutiveFailures: 0,
      circuit: 'closed' as CircuitState,
      openedAt: 0,
      probeAt: null,
    };
    this.#records.set(providerId, record);
    const weight = record.samples === 0 ? 1 : this.#smoothing;
    const success = observation.outcome === 'success' ? 1 : 0;
    record.successRate = record.successRate * (1 - weight) + success * weight;
    record.samples++;
    if (success) {
      record.consecutiveFailures = 0;
      record.circuit = 'closed';
      record.probeAt = null;
      if (observation.latencySeconds !== undefined) {
        const latency = Math.max(0, observation.latencySeconds);
        record.latencySeconds = record.latencySeconds === null ? latency : record.latencySeconds * (1 - this.#smoothing) + latency * this.#smoothing;
        if (observation.estimatedSeconds && observation.estimatedSeconds > 0) {
          const ratio = latency / observation.estimatedSeconds;
          record.latencyRatio = record.latencyRatio === null ? ratio : record.latencyRatio * (1 - this.#smoothing) + ratio * this.#smoothing;
        }
      }
      return;
    }
    record.consecutiveFailures++;
    // A failed probe reopens at once; a closed circuit opens after the threshold.
    if (record.circuit === 'half-open' || record.circuit === 'open' || record.consecutiveFailures >= this.#threshold) {
      record.circuit = 'open';
      record.openedAt = this.#clock.now();
      record.probeAt = null;
    }
  }
}
