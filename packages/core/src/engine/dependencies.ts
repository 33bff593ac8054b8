/**
 * What the engine and its worker are built from. Kept apart from both so the worker's steps can
 * take the engine's dependencies without importing the engine (which imports the worker).
 */
import type EventEmitter from 'eventemitter3';
import type { Account } from '../accounts/account';
import type { Logger } from '../logger';
import type { Clock } from '../policies/clock';
import type { ConcurrencySlots } from '../policies/concurrency';
import type { CreditLedger } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { RateLimits } from '../policies/rate-limits';
import type { InputMediaLimits } from '../providers/input-media';
import type { ProviderHealth } from '../providers/health';
import type { ProviderRegistry } from '../providers/registry';
import type { ProviderRouter } from '../routing/router';
import type { RequestAnalysis } from '../routing/analysis-hook';
import type { AssetStore } from '../assets/asset-store';
import type { DownloadedOutput } from '../assets/download';
import type { EngineTelemetry } from './engine-telemetry';
import type { DoitongEvents } from './events';
import type { Generation } from './generation';
import type { GenerationStore } from './generation-store';
import type { JobQueue } from './queue';

export interface EngineDependencies {
  registry: ProviderRegistry;
  router: ProviderRouter;
  generations: GenerationStore;
  ledger: CreditLedger;
  limits: RateLimits;
  slots: ConcurrencySlots;
  assets: AssetStore;
  queue: JobQueue;
  events: EventEmitter<DoitongEvents>;
  clock: Clock;
  logger: Logger;
  planFor(account: Account): Plan;
  /** Bounds on inline input media, checked before anything else happens to a request (default `defaultInputMediaLimits`). */
  inputMedia?: InputMediaLimits;
  /** Checks a user-supplied URL (webhooks) before it is stored; throws INVALID_INPUT. */
  checkUrl?(url: string, field: string): Promise<void> | void;
  /** The host's analyser of requests for automatic selection, with its time budget (none: the router's built-in one). */
  analysis?: RequestAnalysis;
  /** Measured provider health: the worker reports each attempt's outcome to it. */
  health?: ProviderHealth;
  /** How long one provider call may take before it is aborted (default `defaultCallTimeoutMilliseconds`, 60 s). */
  providerCallTimeoutMilliseconds?: number;
  /** How long a job's status calls must fail without a break before it is given up (default `defaultStatusFailureMilliseconds`, 5 minutes). */
  statusFailureMilliseconds?: number;
  /** Milliseconds before the next status call (default `pollDelay`: from the estimate, backing off). */
  pollSchedule?(estimatedSeconds: number, attempt: number): number;
  /** Copies an expiring provider URL into the asset store (default: `downloadOutput`, streamed and size-capped). */
  download?(url: string, options: { headers?: Record<string, string>; signal: AbortSignal }): Promise<DownloadedOutput>;
  /** The public URL providers call back for a generation, when the host configured one. */
  callbackUrl?(providerId: string, generationId: string): string | undefined;
  /**
   * Hands a final event to durable notification (webhooks) and resolves once it is stored and
   * queued; the worker waits for it before it marks the generation as notified.
   */
  notify?(event: 'generation.completed' | 'generation.failed' | 'generation.cancelled', generation: Generation): Promise<void>;
  /** Spans of provider calls and the count of rate-limit refusals, when the host turned telemetry on. */
  telemetry?: EngineTelemetry;
}
