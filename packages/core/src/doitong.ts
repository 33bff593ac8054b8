// The public shape of an instance and of the options that make one: what a host reads in its
// editor. `createDoitong` (create-doitong.ts) builds an instance from these options.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type Keyv from 'keyv';
import type { Account } from './accounts/account';
import type { Accounts } from './accounts/accounts';
import type { AssetStore } from './assets/asset-store';
import type { AssetOptions } from './assets/retention';
import type { DoitongEventName, DoitongEvents } from './engine/events';
import type { Generation } from './engine/generation';
import type { JobQueue } from './engine/queue';
import type { ReconcilerOptions, Repair } from './engine/reconciler';
import type { QueryLimits } from './graphql/documents';
import type { ConsoleBundle } from './http/console-route';
import type { Resource } from './http/health';
import type { DoitongRequest, DoitongResponse } from './http/types';
import type { Logger } from './logger';
import type { Clock } from './policies/clock';
import type { ConcurrencySlots } from './policies/concurrency';
import type { IdempotencyStore } from './policies/idempotency';
import type { CreditLedger } from './policies/ledger';
import type { Plan } from './policies/plans';
import type { LimiterFactory } from './policies/rate-limits';
import type { ProviderHealth, ProviderHealthOptions } from './providers/health';
import type { InputMediaLimits } from './providers/input-media';
import type { ProviderAdapter } from './providers/provider-adapter';
import type { RoutingOptions } from './routing/analysis-hook';
import type { KeyValueStore } from './storage/key-value-store';
import type { Locks } from './storage/key-lock';
import type { Telemetry } from './telemetry/telemetry';
import type { WebhookOptions } from './webhooks/options';

export interface DoitongOptions {
  /** The provider catalog: `sandboxProviders()` from @doitong/sandbox, `liveProviders()` from @doitong/adapters, or your own. */
  providers?: readonly ProviderAdapter[];
  /** Where accounts, generations and idempotency records live: any Keyv instance (memory by default). */
  storage?: Keyv | KeyValueStore;
  /** Mutual exclusion for read-then-write steps on the store: per process by default, distributed when instances share a store. */
  locks?: Locks;
  /** External services this instance depends on: checked by `GET <mount>/ready`, closed by `close()`. */
  resources?: Resource[];
  ledger?: CreditLedger;
  /** rate-limiter-flexible limiters for the plan windows (memory by default). */
  limiterFactory?: LimiterFactory;
  slots?: ConcurrencySlots;
  idempotency?: IdempotencyStore;
  /** How long an Idempotency-Key is remembered (default 24 hours). */
  idempotencyTtlSeconds?: number;
  /**
   * How long a request's claim on its Idempotency-Key holds without being renewed (default 10
   * seconds; renewed every third of it while the request runs): after an instance dies mid-request,
   * a retry with the same key proceeds this soon instead of answering 409.
   */
  idempotencyLeaseSeconds?: number;
  queue?: JobQueue;
  /**
   * Output files: an AssetStore, or `{ directory, retentionSeconds, store }` (the local folder by
   * default; files older than `retentionSeconds` are deleted on a schedule).
   */
  assets?: AssetStore | AssetOptions;
  /** Signs download links; random per process when left out (links then die with the process). */
  assetSecret?: string;
  /** How long a download link in `url` stays valid (default 24 hours). */
  assetUrlTtlSeconds?: number;
  /**
   * Bounds on the media a caller sends (input.image, input.audio, input.video): pixels of an image,
   * read from its header before anything decodes it, and bytes. Inline (data: URL) media over them
   * are refused with INVALID_INPUT before a job starts. Defaults: `defaultInputMediaLimits`.
   */
  inputMedia?: Partial<InputMediaLimits>;
  /** Your plans, or overrides of the default ones (free, starter, pro, enterprise). */
  plans?: Record<string, Partial<Plan>>;
  /** Your own authentication: return the account for a request, or null for 401. */
  authenticate?: (request: DoitongRequest, accounts: Accounts) => Promise<Account | null> | Account | null;
  /** Limits on documents, bodies and what Idempotency-Key replays keep (see the README's "Limits a host can tune"). */
  limits?: Partial<QueryLimits> & {
    maxBodyBytes?: number;
    /** The largest response kept for an Idempotency-Key replay (default 64 KiB); a larger one is answered but not kept. */
    maxIdempotentResponseBytes?: number;
    /** Bytes of kept responses one account may add per `idempotencyTtlSeconds` (default 16 MiB; it holds at most twice that). */
    idempotencyBytesPerAccount?: number;
  };
  /** Refuse bare selections of object fields (`metadata`, `error`) instead of expanding them. */
  strictSelections?: boolean;
  /**
   * Compile documents that are used again with graphql-jit (default true); false executes every
   * request with graphql-js. Both give the same results; the compiled form is faster.
   */
  compiledExecution?: boolean;
  /**
   * Provider callbacks. `baseUrl` is the public URL of the mount path (`https://api.example.com/graphql`):
   * providers that can call back are given `<baseUrl>/callbacks/<provider>/<generationId>` and are
   * checked as soon as they call. Defaults to `publicUrl`; without either, every provider is polled.
   */
  callbacks?: { baseUrl: string };
  /**
   * Automatic selection reads each request (intents, clip length, resolution, languages) and
   * matches it to providers' strengths. `analyse` replaces or refines that reading (your own
   * language model, your own rules) within `analyseBudgetMilliseconds` (default 50); a hook that
   * is late or fails is passed over for the built-in analysis, so it never blocks a generation.
   */
  routing?: RoutingOptions;
  /** Circuit breaker and moving averages of provider health, or your own ProviderHealth. */
  health?: ProviderHealthOptions | ProviderHealth;
  /** Milliseconds before each status call (default: from the provider's estimated time, backing off). */
  pollSchedule?: (estimatedSeconds: number, attempt: number) => number;
  /**
   * Signed webhooks (Standard Webhooks). `secret` signs deliveries to each generation's own
   * `webhookUrl` (random per instance when unset: read `doitong.webhooks.secret`);
   * `allowPrivateUrls` lets them reach private addresses (local development only); also the
   * retry schedule, timeouts and concurrency bounds.
   */
  webhooks?: WebhookOptions;
  /**
   * The public URL of the mount path (`https://api.example.com/graphql`), for the links in
   * webhook payloads; without it, the URL of the request that created the generation.
   */
  publicUrl?: string;
  /**
   * GraphiQL for browsers at the mount path (GET with `Accept: text/html`), its files (this
   * package's own bundle of GraphiQL and React) served under `<mount>/graphiql/`. On by default;
   * `false` answers those requests as GraphQL.
   */
  graphiql?: boolean;
  /**
   * The operators' GraphQL API at `<mount>/admin` (accounts and plans, credit top-ups, provider
   * health, queue depth and rates), for `Authorization: Bearer <key>` with one of these keys only
   * (16 characters or more; a list lets a new key be rolled out before the old one is dropped).
   * Absent when left out.
   */
  admin?: { key: string | readonly string[] };
  /**
   * The web console at `<mount>/console/`: pass `{ bundle: consoleBundle() }` from
   * `@doitong/console`. Off when left out or `false`. Its operators' pages need `admin`.
   */
  console?: false | { bundle: ConsoleBundle };
  /**
   * How long history is kept, so a long-running instance's memory stays flat. `generationsSeconds`:
   * a finished generation (and then the index entries listing it) is dropped this long after it
   * ended; running ones never are. `ledgerSeconds`: the default in-memory ledger forgets entries and
   * settled reservations older than this (balances are kept). Both are kept forever when left out.
   */
  retention?: { generationsSeconds?: number; ledgerSeconds?: number };
  /**
   * How long `close()` lets running jobs, and the follow-ups they queue, finish before it leaves
   * the rest to resume (default 10 s; `close({ drainSeconds })` overrides it per call).
   */
  drainSeconds?: number;
  /**
   * Slowness is not failure: `providerCallSeconds` bounds one provider call (default 60);
   * `statusFailureSeconds` is how long a job's status calls must fail without a break before it
   * is given up as PROVIDER_UNAVAILABLE (default 300). Raise both on a heavily loaded host.
   */
  timeouts?: { providerCallSeconds?: number; statusFailureSeconds?: number };
  /**
   * The periodic repair of what a crash or an outage left half done (a PENDING generation whose
   * submit job was lost, reservations and slots left by final or never-stored generations):
   * every `intervalSeconds` (default 60), for what is older than `graceSeconds` (default 120),
   * one instance at a time. `false` turns the schedule off; `doitong.reconcile()` runs a pass.
   */
  reconciler?: ReconcilerOptions | false;
  /**
   * Traces and metrics: `openTelemetry()` from `@doitong/core/opentelemetry` (spans for requests,
   * GraphQL operations, provider calls and webhook attempts; meters for generations, credits, queue
   * depth, webhooks and rate-limit refusals). Off when left out, at no cost.
   */
  telemetry?: Telemetry;
  clock?: Clock;
  logger?: Logger;
}

export interface Doitong {
  accounts: Accounts;
  /** What the engine has measured about each provider: success, latency, circuit state. */
  health: ProviderHealth;
  /** `secret`: the `whsec_…` secret that signs deliveries to generations' own `webhookUrl`, for your receivers. */
  readonly webhooks: { readonly secret: string };
  /** Adds a provider (or its sandbox twin, when `livemode` is false). */
  registerProvider(adapter: ProviderAdapter): void;
  on<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  off<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  once<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  /** The framework-neutral handler every binding calls. */
  handle(request: DoitongRequest): Promise<DoitongResponse>;
  /** Bridges a Node request/response to `handle`; what the Express and Koa bindings call. */
  handleNode(request: IncomingMessage, response: ServerResponse, options: { url: string; mountPath: string; parsedBody?: unknown }): Promise<void>;
  /**
   * Reads a Node request into the framework-neutral form, for bindings that write responses
   * themselves (Koa). Given the response, the request's `signal` aborts when the client goes away.
   */
  toRequest(request: IncomingMessage, options: { url: string; mountPath: string; parsedBody?: unknown }, response?: ServerResponse): Promise<DoitongRequest>;
  /** A node:http listener serving Doitong at `path` (default `/graphql`), no framework needed. */
  nodeListener(options?: { path?: string }): (request: IncomingMessage, response: ServerResponse) => void;
  /** Reads a generation by id, whoever owns it (for hosts; the API checks ownership). */
  getGeneration(id: string): Promise<Generation | undefined>;
  /** Runs one reconciler pass now; resolves with what it repaired (also logged, and emitted as `reconciler.repaired`). */
  reconcile(): Promise<Repair[]>;
  /** Deletes output files older than `assets.retentionSeconds` now (the schedule does it too); resolves with how many. */
  pruneAssets(): Promise<number>;
  readonly schema: GraphQLSchema;
  readonly typeDefs: string;
  /**
   * Shuts down gracefully: requests get 503 SERVICE_UNAVAILABLE (and `/ready` 503) at once,
   * running jobs and the follow-ups they queue finish for up to `drainSeconds`, what still runs
   * then is left for another instance or the next start to resume, then stores close.
   */
  close(options?: { drainSeconds?: number }): Promise<void>;
}
