import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import EventEmitter from 'eventemitter3';
import type { GraphQLSchema } from 'graphql';
import Keyv from 'keyv';
import type { Account } from './accounts/account';
import { Accounts } from './accounts/accounts';
import type { AssetStore } from './assets/asset-store';
import { LocalAssetStore } from './assets/local-asset-store';
import { signAssetPath } from './assets/signed-url';
import { Engine } from './engine/engine';
import type { DoitongEventName, DoitongEvents } from './engine/events';
import type { Generation } from './engine/generation';
import { GenerationStore } from './engine/generation-store';
import { InProcessQueue, type JobQueue } from './engine/queue';
import { Scheduler } from './engine/scheduler';
import type { Services } from './graphql/context';
import { defaultQueryLimits, DocumentCache, type QueryLimits } from './graphql/documents';
import { resolvers } from './graphql/resolvers';
import { typeDefs } from './graphql/type-defs';
import { RequestHandler } from './http/handler';
import { handleNodeRequest, nodeToRequest } from './http/node';
import { headerValue } from './http/graphql-params';
import type { DoitongRequest, DoitongResponse } from './http/types';
import { consoleLogger, type Logger } from './logger';
import { systemClock, type Clock } from './policies/clock';
import { MemoryConcurrencySlots, type ConcurrencySlots } from './policies/concurrency';
import { KeyValueIdempotencyStore, type IdempotencyStore } from './policies/idempotency';
import { MemoryLedger, type CreditLedger } from './policies/ledger';
import { resolvePlans, type Plan } from './policies/plans';
import { RateLimits, type LimiterFactory } from './policies/rate-limits';
import type { ProviderAdapter } from './providers/provider-adapter';
import { ProviderRegistry } from './providers/registry';
import { ProviderRouter } from './providers/router';
import { keyvStore, type KeyValueStore } from './storage/key-value-store';
import { checkOutgoingUrl } from './webhooks/url-check';

export interface DoitongOptions {
  /** The provider catalog: `sandboxProviders()` from @doitong/adapters, real adapters, or your own. */
  providers?: readonly ProviderAdapter[];
  /** Where accounts, generations and idempotency records live: any Keyv instance (memory by default). */
  storage?: Keyv | KeyValueStore;
  ledger?: CreditLedger;
  /** rate-limiter-flexible limiters for the plan windows (memory by default). */
  limiterFactory?: LimiterFactory;
  slots?: ConcurrencySlots;
  idempotency?: IdempotencyStore;
  /** How long an Idempotency-Key is remembered (default 24 hours). */
  idempotencyTtlSeconds?: number;
  queue?: JobQueue;
  /** Output files: an AssetStore, or the folder of the default local store. */
  assets?: AssetStore | { directory: string };
  /** Signs download links; random per process when left out (links then die with the process). */
  assetSecret?: string;
  /** How long a download link in `url` stays valid (default 24 hours). */
  assetUrlTtlSeconds?: number;
  /** Your plans, or overrides of the default ones (free, starter, pro, enterprise). */
  plans?: Record<string, Partial<Plan>>;
  /** Your own authentication: return the account for a request, or null for 401. */
  authenticate?: (request: DoitongRequest, accounts: Accounts) => Promise<Account | null> | Account | null;
  /** Limits on documents and bodies. */
  limits?: Partial<QueryLimits> & { maxBodyBytes?: number };
  /** Refuse bare selections of object fields (`metadata`, `error`) instead of expanding them. */
  strictSelections?: boolean;
  /** Outgoing notifications. `allowPrivateUrls` lets webhooks reach private addresses (local development only). */
  webhooks?: { secret?: string; allowPrivateUrls?: boolean };
  clock?: Clock;
  logger?: Logger;
}

export interface Doitong {
  accounts: Accounts;
  /** Adds a provider (or its sandbox twin, when `livemode` is false). */
  registerProvider(adapter: ProviderAdapter): void;
  on<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  off<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  once<Name extends DoitongEventName>(event: Name, listener: DoitongEvents[Name]): Doitong;
  /** The framework-neutral handler every binding calls. */
  handle(request: DoitongRequest): Promise<DoitongResponse>;
  /** Bridges a Node request/response to `handle`; what the Express and Koa bindings call. */
  handleNode(request: IncomingMessage, response: ServerResponse, options: { url: string; mountPath: string; parsedBody?: unknown }): Promise<void>;
  /** Reads a Node request into the framework-neutral form, for bindings that write responses themselves (Koa). */
  toRequest(request: IncomingMessage, options: { url: string; mountPath: string; parsedBody?: unknown }): Promise<DoitongRequest>;
  /** A node:http listener serving Doitong at `path` (default `/graphql`), no framework needed. */
  nodeListener(options?: { path?: string }): (request: IncomingMessage, response: ServerResponse) => void;
  /** Reads a generation by id, whoever owns it (for hosts; the API checks ownership). */
  getGeneration(id: string): Promise<Generation | undefined>;
  readonly schema: GraphQLSchema;
  readonly typeDefs: string;
  /** Stops taking jobs, waits for running ones, closes stores. */
  close(): Promise<void>;
}

export function createDoitong(options: DoitongOptions = {}): Doitong {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const now = () => clock.now();
  const store = toStore(options.storage);
  const plans = resolvePlans(options.plans);
  const planFor = (account: Account): Plan => {
    const plan = plans[account.plan] ?? plans.free!;
    return account.limits ? { ...plan, ...account.limits } : plan;
  };
  const ledger = options.ledger ?? new MemoryLedger(now);
  const accounts = new Accounts(store, ledger, plans, now);
  const registry = new ProviderRegistry();
  for (const adapter of options.providers ?? []) registry.register(adapter);
  const router = new ProviderRouter(registry);
  const events = new EventEmitter<DoitongEvents>();
  // Timers run on real time; the injectable clock is for policies and records.
  const queue = options.queue ?? new InProcessQueue({ scheduler: new Scheduler(), logger });
  const assets = !options.assets || 'directory' in options.assets ? new LocalAssetStore(options.assets?.directory) : options.assets;
  const assetSecret = options.assetSecret ?? randomBytes(32).toString('base64url');
  const assetUrlTtl = (options.assetUrlTtlSeconds ?? 86_400) * 1000;
  const limits = new RateLimits({ clock, limiterFactory: options.limiterFactory });
  const slots = options.slots ?? new MemoryConcurrencySlots(clock);
  const generations = new GenerationStore(store);
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
    checkUrl: (url, field) => void checkOutgoingUrl(url, field, allowPrivateUrls),
  });

  const services: Services = {
    engine,
    registry,
    ledger,
    assets,
    clock,
    planFor,
    // Links expire on hour boundaries so the same generation read twice in an hour gets the same URL.
    assetUrl: (key, baseUrl) => `${baseUrl}${signAssetPath(key, Math.ceil((now() + assetUrlTtl) / 3_600_000) * 3_600_000, assetSecret)}`,
  };
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  const queryLimits: QueryLimits = { ...defaultQueryLimits, ...options.limits };
  const maxBodyBytes = options.limits?.maxBodyBytes ?? 1024 * 1024;
  const handler = new RequestHandler({
    schema,
    documents: new DocumentCache(schema, { limits: queryLimits, strictSelections: options.strictSelections ?? false }),
    services,
    limits,
    idempotency: options.idempotency ?? new KeyValueIdempotencyStore(store, now),
    logger,
    planFor,
    maxBodyBytes,
    idempotencyTtlMilliseconds: (options.idempotencyTtlSeconds ?? 86_400) * 1000,
    assetSecret,
    authenticate: async (request) => {
      if (options.authenticate) return (await options.authenticate(request, accounts)) ?? null;
      const authorization = headerValue(request.headers.authorization);
      const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
      return match ? accounts.authenticate(match[1]!) : null;
    },
  });
  const handle = (request: DoitongRequest) => handler.handle(request);

  const doitong: Doitong = {
    accounts,
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
    toRequest: (request, nodeOptions) => nodeToRequest(request, { ...nodeOptions, maxBodyBytes }),
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
    schema,
    typeDefs,
    async close() {
      await queue.close();
      events.removeAllListeners();
      await (ledger as { close?: () => Promise<void> }).close?.();
      await store.close();
    },
  };
  return doitong;
}

function toStore(storage: Keyv | KeyValueStore | undefined): KeyValueStore {
  if (!storage) return keyvStore(new Keyv({ namespace: 'doitong' }));
  return storage instanceof Keyv ? keyvStore(storage) : storage;
}
