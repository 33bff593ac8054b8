import type { GenerationInput } from '../providers/generation-input';
import type { GenerationMetadata } from '../providers/generation-metadata';
import type { GenerationType, JsonObject, JsonValue, Priority } from '../providers/generation-type';
import type { RoutingDecision } from '../routing/routing-decision';

export type { RoutingDecision };

export const generationStatuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];

export const terminalStatuses: ReadonlySet<GenerationStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface GenerationError {
  code: string;
  message: string;
}

/** One try at a provider; more than one only after a proven failure and an allowed fallback. */
export interface ProviderAttempt {
  provider: string;
  /** Credits this attempt was priced at (each provider prices the request itself). */
  creditCost?: number;
  startedAt: string;
  endedAt: string | null;
  outcome: 'accepted' | 'rejected' | 'unknown' | 'failed' | 'succeeded' | 'cancelled' | null;
  errorCode: string | null;
  message: string | null;
}

/** A stored generation: the record every instance reads and the GraphQL type is built from. */
export interface Generation {
  id: string;
  accountId: string;
  type: GenerationType;
  status: GenerationStatus;
  provider: string;
  model: string | null;
  input: GenerationInput;
  options: Record<string, JsonValue>;
  priority: Priority | null;
  webhookUrl: string | null;
  progress: number;
  creditCost: number;
  estimatedTime: number;
  livemode: boolean;
  /** Key of the output in the asset store, or the provider's URL when it does not expire. */
  assetKey: string | null;
  externalUrl: string | null;
  metadata: GenerationMetadata | null;
  error: GenerationError | null;
  /** The provider's job handle, persisted before anything else happens to the job. */
  providerJob: JsonObject | null;
  reservationId: string;
  routing: RoutingDecision | null;
  attempts: ProviderAttempt[];
  /**
   * Providers still allowed to take over, in order, after a proven pre-acceptance failure or a
   * verified terminal provider failure (absent on records written before fallback existed).
   */
  fallbacks?: string[];
  /** The options as the caller sent them, so a fallback provider validates and prices its own copy. */
  requestedOptions?: Record<string, JsonValue>;
  idempotencyKey: string | null;
  /**
   * Absolute URL of the mount path as the creating request saw it, for links in webhooks
   * (the `publicUrl` option wins over it; absent on records written before webhooks existed).
   */
  baseUrl?: string | null;
  /**
   * Set just before the create call goes to the provider and cleared once its handle is saved:
   * a job that finds it set was cut short mid-submit, so a paid job may exist at the provider.
   */
  submittingSince?: string | null;
  /** How the reservation is settled, decided when the generation ended. */
  settlement?: 'commit' | 'refund' | null;
  /**
   * When the end was fully handled (credits settled, slot freed, listeners and webhooks told).
   * A job that finds a final generation without it finishes that work, so a crash loses none of it.
   */
  notifiedAt?: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}
