import type { GenerationInput } from '../providers/generation-request';
import type { GenerationMetadata } from '../providers/generation-metadata';
import type { GenerationType, JsonObject, JsonValue, Priority } from '../providers/generation-type';

export const generationStatuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];

export const terminalStatuses: ReadonlySet<GenerationStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface GenerationError {
  code: string;
  message: string;
}

/** Why the engine chose the provider it chose; shown on the generation. */
export interface RoutingDecision {
  provider: string;
  reason: string;
  priority: Priority | null;
  candidates: Array<{ provider: string; score: number | null; eligible: boolean; reason: string | null }>;
}

/** One try at a provider; more than one only after a proven failure and an allowed fallback. */
export interface ProviderAttempt {
  provider: string;
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
  idempotencyKey: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}
