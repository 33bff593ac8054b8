import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import EventEmitter from 'eventemitter3';
import type { GraphQLSchema } from 'graphql';
import Keyv from 'keyv';
import type { Account } from './accounts/account';
import { Accounts } from './accounts/accounts';
import type { AssetStore } from './assets/asset-store';
import type { Telemetry } from './telemetry/telemetry';
import { LocalAssetStore } from './assets/local-asset-store';
import { AssetRetention, type AssetOptions } from './assets/retention';
import { signAssetPath } from './assets/signed-url';
import { Engine } from './engine/engine';
import type { DoitongEventName, DoitongEvents } from './engine/events';
import type { Generation } from './engine/generation';
import { GenerationStore } from './engine/generation-store';
import { InProcessQueue, type JobQueue } from './engine/queue';
import { Reconciler, type ReconcilerOptions, type Repair } from './engine/reconciler';
import { Scheduler } from './engine/scheduler';
import type { Services } from './graphql/context';
import { defaultQueryLimits, DocumentCache, type QueryLimits } from './graphql/documents';
import { OperationExecutor } from './graphql/executor';
import { generationUpdates } from './graphql/generation-updates';
import { resolvers } from './graphql/resolvers';
import { executableSchema } from './graphql/executable-schema';
import { typeDefs } from './graphql/type-defs';
import { eventStreamRoute } from './http/event-stream';
import { RequestHandler } from './http/handler';
import { handleNodeRequest, nodeToRequest } from './http/node';
import { headerValue } from './http/graphql-params';
import type { DoitongRequest, DoitongResponse } from './http/types';
import { consoleLogger, type Logger } from './logger';
import { systemClock, type Clock } from './policies/clock';
import { MemoryConcurrencySlots, type ConcurrencySlots } from './policies/concurrency';
import { IdempotencyBudget, KeyValueIdempotencyStore, type IdempotencyStore } from './policies/idempotency';
import { MemoryLedger, type CreditLedger } from './policies/ledger';
import { resolvePlans, type Plan } from './policies/plans';
import { RateLimits, type LimiterFactory } from './policies/rate-limits';
import type { ProviderAdapter } from './providers/provider-adapter';
import { ProviderHealth, type ProviderHealthOptions } from './providers/health';
import { ProviderRegistry } from './providers/registry';
import { callbackRoute } from './http/callbacks-route';
import { ProviderRouter } from './providers/router';
import { defaultInputMediaLimits, type InputMediaLimits } from './providers/input-media';
import { RequestAnalysis, type RoutingOptions } from './routing/analysis-hook';
import { keyvStore, MemoryKeyValueStore, type KeyValueStore } from './storage/key-value-store';
import { KeyLock, type Locks } from './storage/key-lock';
import type { Resource } from './http/health';
import { checkOutgoingUrl } from './webhooks/url-check';
import { resolveWebhookOptions, type WebhookOptions } from './webhooks/options';
import { PayloadRenderer } from './webhooks/payload';
import { webhookResolvers } from './webhooks/resolvers';
import { Webhooks } from './webhooks/webhooks';
import { operatorRoutes } from './admin/operator-routes';
import type { ConsoleBundle } from './http/console-route';

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

export function createDoitong(options: DoitongOptions = {}): Doitong {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const now = () => clock.now();
  const store = toStore(options.storage, now);
  const plans = resolvePlans(options.plans);
  // An account's own limits make a plan of their own: made once per account record (records are
  // replaced, never changed, when an account is), so each request reads the same plan object and
  // what is derived from it (the RateLimit-Policy field) is worked out once.
  const accountPlans = new WeakMap<Account, Plan>();
  const planFor = (account: Account): Plan => {
    const plan = plans[account.plan] ?? plans.free!;
    if (!account.limits) return plan;
    let own = accountPlans.get(account);
    if (!own) accountPlans.set(account, (own = { ...plan, ...account.limits }));
    return own;
  };
  const ledgerRetention = options.retention?.ledgerSeconds;
  const ledger = options.ledger ?? new MemoryLedger(now, ledgerRetention === undefined ? {} : { retentionMilliseconds: ledgerRetention * 1000 });
  // With the embedded default store this instance is the only writer, so what it read may be
  // remembered (authenticated keys for a few seconds, accounts without webhook endpoints); a
  // shared store is read every time.
  const soleWriter = !options.storage;
  const accounts = new Accounts(store, ledger, plans, now, { cacheMilliseconds: soleWriter ? 5_000 : 0, ...(options.locks ? { locks: options.locks } : {}) });
  const registry = new ProviderRegistry();
  for (const adapter of options.providers ?? []) registry.register(adapter);
  const health = options.health instanceof ProviderHealth ? options.health : new ProviderHealth(clock, options.health);
  const router = new ProviderRouter(registry, health);
  // Providers need a public address to call back: the one given for callbacks, else the instance's public URL.
  const callbackBase = (options.callbacks?.baseUrl ?? options.publicUrl)?.replace(/\/+$/, '');
  const events = new EventEmitter<DoitongEvents>();
  const telemetry = options.telemetry;
  // Timers run on real time; the injectable clock is for policies and records.
  const queue = options.queue ?? new InProcessQueue({ scheduler: new Scheduler(), logger });
  const assets = assetStoreOf(options.assets);
  const retentionSeconds = options.assets && !isAssetStore(options.assets) ? options.assets.retentionSeconds : undefined;
  const retention = retentionSeconds !== undefined ? new AssetRetention(assets, retentionSeconds, logger) : undefined;
  retention?.start();
  const assetSecret = options.assetSecret ?? randomBytes(32).toString('base64url');
  const assetUrlTtl = (options.assetUrlTtlSeconds ?? 86_400) * 1000;
  const limits = new RateLimits({ clock, limiterFactory: options.limiterFactory });
  const slots = options.slots ?? new MemoryConcurrencySlots(clock);
  const locks = options.locks ?? new KeyLock();
  const generationRetention = options.retention?.generationsSeconds;
  const generations = new GenerationStore(store, locks, generationRetention === undefined ? {} : { retentionMilliseconds: generationRetention * 1000 });
  const allowPrivateUrls = options.webhooks?.allowPrivateUrls ?? false;
  const engine = new Engine({
    registry,
    router,
    generations,
    ledger,
    limits,
    slots,
    assets,
    queue,
    events,
    clock,
    logger,
    planFor,
    inputMedia: { ...defaultInputMediaLimits, ...options.inputMedia },
    checkUrl: (url, field) => void checkOutgoingUrl(url, field, allowPrivateUrls),
    health,
    ...(options.routing?.analyse ? { analysis: new RequestAnalysis(options.routing.analyse, options.routing.analyseBudgetMilliseconds, logger) } : {}),
    ...(options.pollSchedule ? { pollSchedule: options.pollSchedule } : {}),
    ...(options.timeouts?.providerCallSeconds !== undefined ? { providerCallTimeoutMilliseconds: options.timeouts.providerCallSeconds * 1000 } : {}),
    ...(options.timeouts?.statusFailureSeconds !== undefined ? { statusFailureMilliseconds: options.timeouts.statusFailureSeconds * 1000 } : {}),
    ...(callbackBase ? { callbackUrl: (providerId: string, generationId: string) => `${callbackBase}/callbacks/${encodeURIComponent(providerId)}/${encodeURIComponent(generationId)}` } : {}),
    // Bound late: webhooks are built below, and need nothing from the engine.
    notify: (event, generation) => webhooks.notify(event, generation),
    ...(telemetry ? { telemetry } : {}),
  });

  const webhooks = new Webhooks({
    store,
    locks,
    soleWriter,
    queue,
    events,
    clock,
    logger,
    options: resolveWebhookOptions(options.webhooks),
    secret: options.webhooks?.secret,
    // Called only once events flow, after the schema below exists.
    render: (type, generation, timestamp) => payloads.render(type, generation, timestamp),
    ...(telemetry ? { telemetry } : {}),
  });
  if (telemetry) {
    for (const event of ['generation.completed', 'generation.failed', 'generation.cancelled'] as const) events.on(event, (generation) => telemetry.generationEnded(generation));
    if (queue.counts) telemetry.observeQueue(() => queue.counts!());
  }

  const reconciler = new Reconciler({ generations, ledger, slots, queue, locks, registry, worker: engine.worker, events, clock, logger }, options.reconciler || {});
  if (options.reconciler !== false) reconciler.start();

  // Open `generationUpdated` streams, ended by close() so their clients see the stream complete.
  const liveUpdates = new Set<AsyncIterableIterator<Generation>>();
  const services: Services = {
    engine,
    webhooks,
    registry,
    ledger,
    assets,
    clock,
    planFor,
    // Links expire on hour boundaries so the same generation read twice in an hour gets the same URL.
    assetUrl: (key, baseUrl) => `${baseUrl}${signAssetPath(key, Math.ceil((now() + assetUrlTtl) / 3_600_000) * 3_600_000, assetSecret)}`,
    generationUpdates: (id, read) => {
      const updates = generationUpdates(events, id, read, () => liveUpdates.delete(updates));
      liveUpdates.add(updates);
      return updates;
    },
  };
  const schema = executableSchema(typeDefs, [resolvers, webhookResolvers]);
  const payloads = new PayloadRenderer({ schema, services, loadAccount: (id) => accounts.get(id), publicUrl: options.publicUrl?.replace(/\/+$/, '') ?? null });
  const queryLimits: QueryLimits = { ...defaultQueryLimits, ...options.limits };
  const maxBodyBytes = options.limits?.maxBodyBytes ?? 1024 * 1024;
  const documents = new DocumentCache(schema, { limits: queryLimits, strictSelections: options.strictSelections ?? false });
  const executor = new OperationExecutor(schema, { compiled: options.compiledExecution ?? true, ...(telemetry ? { telemetry } : {}) });
  const authenticate = async (request: DoitongRequest): Promise<Account | null> => {
    if (options.authenticate) return (await options.authenticate(request, accounts)) ?? null;
    const authorization = headerValue(request.headers.authorization);
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    return match ? accounts.authenticate(match[1]!) : null;
  };
  // What close() releases beyond the stores (the activity counters' listeners).
  const closing: Array<() => void> = [];
  const handler = new RequestHandler({
    schema,
    documents,
    executor,
    services,
    limits,
    idempotency: options.idempotency ?? new KeyValueIdempotencyStore(store, now, locks),
    idempotencyBudget: new IdempotencyBudget(store, now, locks),
    idempotencyLimits: { maxResponseBytes: options.limits?.maxIdempotentResponseBytes ?? 64 * 1024, accountBytes: options.limits?.idempotencyBytesPerAccount ?? 16 * 1024 * 1024 },
    resources: options.resources ?? [],
    logger,
    planFor,
    maxBodyBytes,
    idempotencyTtlMilliseconds: (options.idempotencyTtlSeconds ?? 86_400) * 1000,
    idempotencyLeaseMilliseconds: (options.idempotencyLeaseSeconds ?? 10) * 1000,
    assetSecret,
    routes: [
      callbackRoute({ generations, registry, worker: engine.worker, clock, logger }),
      ...operatorRoutes({ options, accounts, ledger, plans, planFor, registry, health, queue, events, now, queryLimits, maxBodyBytes, logger, close: closing }),
    ],
    eventStream: eventStreamRoute({ schema, documents, services, limits, logger, authenticate, planFor, ...(telemetry ? { telemetry } : {}) }),
    graphiql: options.graphiql ?? true,
    authenticate,
    closing: () => shutdown !== undefined,
    ...(telemetry ? { telemetry } : {}),
  });
  let shutdown: Promise<void> | undefined;
  const handle = (request: DoitongRequest) => handler.handle(request);

  const doitong: Doitong = {
    accounts,
    health,
    webhooks: { secret: webhooks.secret },
    registerProvider: (adapter) => registry.register(adapter),
    on(event, listener) {
      events.on(event, listener as never);
      return doitong;
    },
    off(event, listener) {
      events.off(event, listener as never);
      return doitong;
    },
    once(event, listener) {
      events.once(event, listener as never);
      return doitong;
    },
    handle,
    handleNode: (request, response, nodeOptions) => handleNodeRequest(handle, request, response, { ...nodeOptions, maxBodyBytes }),
    toRequest: (request, nodeOptions, response) => nodeToRequest(request, { ...nodeOptions, maxBodyBytes }, response),
    nodeListener(listenerOptions = {}) {
      const path = (listenerOptions.path ?? '/graphql').replace(/\/$/, '');
      return (request, response) => {
        const url = request.url ?? '/';
        const inside = url === path || url.startsWith(`${path}/`) || url.startsWith(`${path}?`);
        if (!inside) {
          response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] }));
          return;
        }
        void handleNodeRequest(handle, request, response, { url: url.slice(path.length) || '/', mountPath: path, maxBodyBytes });
      };
    },
    getGeneration: (id) => generations.get(id),
    pruneAssets: () => retention?.prune() ?? Promise.resolve(0),
    reconcile: () => reconciler.run(),
    schema,
    typeDefs,
    close(closeOptions = {}) {
      return (shutdown ??= (async () => {
        await retention?.stop();
        await reconciler.stop();
        for (const release of closing) release();
        for (const updates of liveUpdates) await updates.return?.();
        // Webhooks stay open while the queue drains: a generation that ends meanwhile stores and
        // sends its deliveries. Closing them afterwards aborts attempts still in flight, which
        // are then left to run again rather than awaited to their timeout.
        const drainSeconds = closeOptions.drainSeconds ?? options.drainSeconds ?? 10;
        await queue.close({ drainMilliseconds: drainSeconds * 1000 });
        telemetry?.close();
        await webhooks.close();
        events.removeAllListeners();
        await (ledger as { close?: () => Promise<void> }).close?.();
        await store.close();
        for (const resource of options.resources ?? []) await resource.close?.();
      })());
    },
  };
  return doitong;
}

function isAssetStore(assets: AssetStore | AssetOptions): assets is AssetStore {
  return typeof (assets as AssetStore).put === 'function';
}

function assetStoreOf(assets: AssetStore | AssetOptions | undefined): AssetStore {
  if (!assets) return new LocalAssetStore();
  if (isAssetStore(assets)) return assets;
  return assets.store ?? new LocalAssetStore(assets.directory);
}

function toStore(storage: Keyv | KeyValueStore | undefined, now: () => number): KeyValueStore {
  if (!storage) return new MemoryKeyValueStore({ now });
  return storage instanceof Keyv ? keyvStore(storage) : storage;
}
