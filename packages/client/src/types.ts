/** The types of the Doitong API as this client returns them (see the server's SDL for every field). */

export type GenerationType = 'VIDEO' | 'IMAGE' | 'AUDIO' | 'AVATAR';
export type GenerationStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type Priority = 'QUALITY' | 'SPEED' | 'COST' | 'BALANCED';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface GenerateInput {
  type: GenerationType;
  /** A provider id from `providers(type)`; left out, Doitong chooses by `priority`. */
  provider?: string;
  input: {
    /** The prompt, or the script for AUDIO and AVATAR. */
    text?: string;
    image?: string;
    voice?: string;
    audio?: string;
    video?: string;
    negativePrompt?: string;
  };
  /** Provider options, checked against the provider's option specs. */
  options?: Record<string, JsonValue>;
  priority?: Priority;
  webhookUrl?: string;
}

export interface GenerationMetadata {
  width: number | null;
  height: number | null;
  /** Seconds. */
  duration: number | null;
  format: string | null;
  resolution: string | null;
  aspectRatio: string | null;
  fps: number | null;
  sampleRate: number | null;
  channels: number | null;
  fileSize: number | null;
  contentType: string | null;
  model: string | null;
  seed: number | null;
  codec: string | null;
  hasAudio: boolean | null;
}

export interface Generation {
  id: string;
  type: GenerationType;
  status: GenerationStatus;
  provider: string;
  model: string | null;
  /** A signed download link once COMPLETED; it expires (read the generation again for a fresh one). */
  url: string | null;
  /** 0 to 100. */
  progress: number;
  creditCost: number;
  /** Expected seconds from submission to completion. */
  estimatedTime: number;
  metadata: GenerationMetadata | null;
  error: { code: string; message: string } | null;
  errorCode: string | null;
  livemode: boolean;
  createdAt: string;
  completedAt: string | null;
}

export interface ProviderOption {
  name: string;
  type: string;
  required: boolean;
  description: string;
  allowedValues: JsonValue[] | null;
  default: JsonValue | null;
  minimum: number | null;
  maximum: number | null;
}

export interface Provider {
  id: string;
  name: string;
  description: string;
  types: GenerationType[];
  models: Array<{ id: string; name: string; description: string | null }>;
  features: string[];
  limitations: string[];
  /** The price and typical time of a request with the provider's default options. */
  pricing: { creditCost: number; estimatedTime: number };
  options: ProviderOption[];
  traits: { quality: number; speed: number; cost: number };
  available: boolean;
  livemode: boolean;
}

/** The rate-limit headers of the last response (`X-RateLimit-*`); `reset` is seconds until the window resets. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  reset: number;
}

export const terminalStatuses: ReadonlySet<GenerationStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
