import type { Account } from '../accounts/account';
import type { AssetStore } from '../assets/asset-store';
import type { Engine } from '../engine/engine';
import type { Generation } from '../engine/generation';
import type { Clock } from '../policies/clock';
import type { CreditLedger } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { RatePolicyState } from '../policies/rate-limits';
import type { ProviderRegistry } from '../providers/registry';

/** What resolvers need from the instance; built once per `createDoitong`. */
export interface Services {
  engine: Engine;
  registry: ProviderRegistry;
  ledger: CreditLedger;
  assets: AssetStore;
  clock: Clock;
  planFor(account: Account): Plan;
  /** Absolute, signed download URL of an asset, relative to the request's base URL. */
  assetUrl(key: string, baseUrl: string): string;
  /** One generation's states as they change, first `read()`, then this instance's events (the `generationUpdated` subscription). */
  generationUpdates(id: string, read: () => Promise<Generation>): AsyncIterableIterator<Generation>;
}

/** Per request: who is calling, and what the policies decided (for the response headers). */
export interface RequestContext {
  services: Services;
  account: Account;
  baseUrl: string;
  idempotencyKey: string | null;
  /**
   * With an Idempotency-Key: the claim's attempt, from which each generation the request creates is
   * named (`created` counts them, in the order a mutation runs its fields), and whether the claim
   * carries on one whose instance died (so those generations may exist already).
   */
  idempotencyAttempt?: { attempt: string; resumes: boolean; created: number };
  /** Rate-limit policy states seen during this request, latest per policy wins. */
  rateLimits: Map<string, RatePolicyState>;
  /** Generation fields executed and refused for rate, to decide on HTTP 429. */
  generationFields: { attempted: number; refusedForRate: number; retryAfterSeconds: number };
  /** Set by a field that answers a secret shown only once (a new signing secret): the response is then never kept for an Idempotency-Key replay. */
  oneTimeSecret?: boolean;
}
