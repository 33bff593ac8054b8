import { randomBytes } from 'node:crypto';
import EventEmitter from 'eventemitter3';
import Keyv from 'keyv';
import { accountPlans } from './accounts/account-plans';
import { Accounts } from './accounts/accounts';
import { operatorRoutes } from './admin/operator-routes';
import type { AssetStore } from './assets/asset-store';
import { LocalAssetStore } from './assets/local-asset-store';
import { AssetRetention, type AssetOptions } from './assets/retention';
import { signAssetPath } from './assets/signed-url';
import type { Doitong, DoitongOptions } from './doitong';
import { Engine } from './engine/engine';
import type { DoitongEvents } from './engine/events';
import type { Generation } from './engine/generation';
import { GenerationStore } from './engine/generation-store';
import { InProcessQueue } from './engine/queue';
import { Reconciler } from './engine/reconciler';
import { Scheduler } from './engine/scheduler';
import type { Services } from './graphql/context';
import { defaultQueryLimits, DocumentCache, type QueryLimits } from './graphql/documents';
import { executableSchema } from './graphql/executable-schema';
import { OperationExecutor } from './graphql/executor';
import { generationUpdates } from './graphql/generation-updates';
import { resolvers } from './graphql/resolvers';
import { typeDefs } from './graphql/type-defs';
import { callbackRoute } from './http/callbacks-route';
import { eventStreamRoute } from './http/event-stream';
import { RequestHandler } from './http/handler';
import { handleNodeRequest, nodeToRequest } from './http/node';
import { nodeListener } from './http/node-listener';
import { accountAuthentication } from './http/stages/authenticate';
import type { DoitongRequest } from './http/types';
import { consoleLogger } from './logger';
import { systemClock } from './policies/clock';
import { MemoryConcurrencySlots } from './policies/concurrency';
import { IdempotencyBudget, KeyValueIdempotencyStore } from './policies/idempotency';
import { MemoryLedger } from './policies/ledger';
import { resolvePlans } from './policies/plans';
import { RateLimits } from './policies/rate-limits';
import { ProviderHealth } from './providers/health';
import { defaultInputMediaLimits } from './providers/input-media';
import { ProviderRegistry } from './providers/registry';
import { ProviderRouter } from './routing/router';
import { RequestAnalysis } from './routing/analysis-hook';
import { KeyLock } from './storage/key-lock';
import { keyvStore, MemoryKeyValueStore, type KeyValueStore } from './storage/key-value-store';
import { resolveWebhookOptions } from './webhooks/options';
import { PayloadRenderer } from './webhooks/payload';
import { webhookResolvers } from './webhooks/resolvers';
import { checkOutgoingUrl } from './webhooks/url-check';
import { Webhooks } from './webhooks/webhooks';

/**
 * The composition root: builds an instance's parts from its options and wires them together.
 * What each part does lives in its own folder; the public shapes are in doitong.ts.
 */
export function createDoitong(options: DoitongOptions = {}): Doitong {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const now = () => clock.now();
  const store = toStore(options.storage, now);
  const plans = resolvePlans(options.plans);
  const planFor = accountPlans(plans);
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
    ...(callbackBase
      ? {
          callbackUrl: (providerId: string, generationId: string) =>
            `${callbackBase}/callbacks/${encodeURIComponent(providerId)}/${encodeURIComponent(generationId)}`,
        }
      : {}),
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
    for (const event of ['generation.completed', 'generation.failed', 'generation.cancelled'] as const)
      events.on(event, (generation) => telemetry.generationEnded(generation));
    if (queue.counts) telemetry.observeQueue(() => queue.counts!());
  }

  const reconciler = new Reconciler(
    { generations, ledger, slots, queue, locks, registry, worker: engine.worker, events, clock, logger },
    options.reconciler || {},
  );
  if (options.reconciler !== false) reconciler.start();

  // Open `generationUpdated` streams, ended by close() so their clients see the stream complete.
  const liveUpdates = new Set<AsyncIterableIterator<Generation>>();
  const services: Services = {
    engine,
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
  const schema = executableSchema(typeDefs, [resolvers, webhookResolvers(webhooks)]);
  const payloads = new PayloadRenderer({ schema, services, loadAccount: (id) => accounts.get(id), publicUrl: options.publicUrl?.replace(/\/+$/, '') ?? null });
  const queryLimits: QueryLimits = { ...defaultQueryLimits, ...options.limits };
  const maxBodyBytes = options.limits?.maxBodyBytes ?? 1024 * 1024;
  const documents = new DocumentCache(schema, { limits: queryLimits, strictSelections: options.strictSelections ?? false });
  const executor = new OperationExecutor(schema, { compiled: options.compiledExecution ?? true, ...(telemetry ? { telemetry } : {}) });
  const authenticate = accountAuthentication(accounts, options.authenticate);
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
    idempotencyLimits: {
      maxResponseBytes: options.limits?.maxIdempotentResponseBytes ?? 64 * 1024,
      accountBytes: options.limits?.idempotencyBytesPerAccount ?? 16 * 1024 * 1024,
    },
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
    nodeListener: (listenerOptions = {}) => nodeListener(handle, { ...listenerOptions, maxBodyBytes }),
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
