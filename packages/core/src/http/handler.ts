import type { GraphQLSchema } from 'graphql';
import type { Account } from '../accounts/account';
import { DoitongError, isDoitongError } from '../errors';
import type { Logger } from '../logger';
import type { IdempotencyBudget, IdempotencyStore } from '../policies/idempotency';
import type { Plan } from '../policies/plans';
import type { RateLimits } from '../policies/rate-limits';
import type { Services } from '../graphql/context';
import type { DocumentCache } from '../graphql/documents';
import type { OperationExecutor } from '../graphql/executor';
import type { HttpTelemetry } from './http-telemetry';
import { serveAsset } from './assets-route';
import { wantsEventStream } from './event-stream';
import { graphiqlResponse, serveGraphiqlAsset, wantsGraphiql } from './graphiql';
import { checkReadiness, type Resource } from './health';
import { decodePathSegment, requestUrl } from './path';
import { Answered, errorResponse, json } from './responses';
import { authenticateRequest } from './stages/authenticate';
import { drainingResponse } from './stages/draining';
import { executeOperation, type Execution } from './stages/execute';
import { claimIdempotencyKey } from './stages/idempotency';
import { negotiateGraphQL } from './stages/negotiate';
import { readOperation } from './stages/parameters';
import { consumeReadLimit } from './stages/read-limit';
import { addRateLimitHeaders } from './stages/response-headers';
import type { DoitongRequest, DoitongResponse } from './types';

export interface HandlerDependencies {
  schema: GraphQLSchema;
  documents: DocumentCache;
  executor: OperationExecutor;
  services: Services;
  limits: RateLimits;
  idempotency: IdempotencyStore;
  /** Bytes of stored responses per account (see `idempotencyLimits`). */
  idempotencyBudget: IdempotencyBudget;
  /** The largest response kept for replay, and the bytes of stored responses an account may hold per `idempotencyTtlMilliseconds`. */
  idempotencyLimits: { maxResponseBytes: number; accountBytes: number };
  logger: Logger;
  authenticate(request: DoitongRequest): Promise<Account | null>;
  planFor(account: Account): Plan;
  maxBodyBytes: number;
  idempotencyTtlMilliseconds: number;
  /** How long an idempotency claim holds without renewal: how soon a retry proceeds after the claiming instance died. */
  idempotencyLeaseMilliseconds: number;
  assetSecret: string;
  /** External services checked by the readiness endpoint. */
  resources?: Resource[];
  /** Extra routes under the mount path (live updates, provider callbacks), tried before 404. */
  routes?: Array<(request: DoitongRequest, url: URL) => Promise<DoitongResponse | undefined>>;
  /** GraphQL over Server-Sent Events at the mount path, for requests that accept `text/event-stream`. */
  eventStream?: (request: DoitongRequest) => Promise<DoitongResponse>;
  /** Serve GraphiQL to browsers at the mount path, and its files under `<mount>/graphiql/`. */
  graphiql?: boolean;
  /** True once `close()` began: requests are refused so a load balancer sends them elsewhere. */
  closing?(): boolean;
  /** Spans and measures of each request, when the host turned telemetry on. */
  telemetry?: HttpTelemetry;
}

/**
 * The one framework-neutral handler: request in, response out. Bindings translate; all
 * behaviour lives here so Express, Koa and a bare node:http server answer identically.
 * A GraphQL request passes through named stages (`./stages/`), each of which may answer it.
 */
export class RequestHandler {
  readonly #dependencies: HandlerDependencies;

  constructor(dependencies: HandlerDependencies) {
    this.#dependencies = dependencies;
  }

  handle(request: DoitongRequest): Promise<DoitongResponse> {
    const telemetry = this.#dependencies.telemetry;
    return telemetry ? telemetry.request(request, () => this.#handle(request)) : this.#handle(request);
  }

  async #handle(request: DoitongRequest): Promise<DoitongResponse> {
    try {
      return await this.#route(request);
    } catch (error) {
      if (isDoitongError(error)) return errorResponse(error, 'application/json');
      this.#dependencies.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error in the request handler');
      return errorResponse(new DoitongError('INTERNAL_SERVER_ERROR'), 'application/json');
    }
  }

  async #route(request: DoitongRequest): Promise<DoitongResponse> {
    // A GraphQL POST to the mount path itself needs nothing from its URL: none is parsed for it.
    const postToMountPath = request.method === 'POST' && (request.url === '/' || request.url === '' || request.url.startsWith('/?'));
    const url = postToMountPath ? undefined : requestUrl(request.url);
    const path = url ? url.pathname.replace(/\/+$/, '') || '/' : '/';
    if (this.#dependencies.closing?.() && path !== '/health') return drainingResponse(path);
    if (!url || path === '/') {
      if (this.#dependencies.eventStream && wantsEventStream(request)) return this.#dependencies.eventStream(request);
      if (url && this.#dependencies.graphiql && wantsGraphiql(request, url)) return graphiqlResponse(request);
      return this.#graphql(request, url);
    }
    if (this.#dependencies.graphiql && path.startsWith('/graphiql/')) {
      const file = await serveGraphiqlAsset(path.slice('/graphiql/'.length), request);
      if (file) return file;
    }
    if (path.startsWith('/assets/') && (request.method === 'GET' || request.method === 'HEAD'))
      return serveAsset(this.#dependencies.services, request, decodePathSegment(path.slice('/assets/'.length)), url, this.#dependencies.assetSecret);
    if (path === '/health' && request.method === 'GET') return json(200, { status: 'ok' });
    if (path === '/ready' && request.method === 'GET') {
      const readiness = await checkReadiness(this.#dependencies.resources ?? []);
      return json(readiness.ready ? 200 : 503, readiness);
    }
    for (const route of this.#dependencies.routes ?? []) {
      const response = await route(request, url);
      if (response) return response;
    }
    return errorResponse(new DoitongError('NOT_FOUND', `No route for ${request.method} ${path}.`), 'application/json');
  }

  /** GraphQL over HTTP, stage by stage. `url` is given for GET requests, whose parameters are in it. */
  async #graphql(request: DoitongRequest, url: URL | undefined): Promise<DoitongResponse> {
    const dependencies = this.#dependencies;
    const mediaType = negotiateGraphQL(request);
    if (mediaType instanceof Answered) return mediaType.response;
    const account = await authenticateRequest(request, mediaType, dependencies);
    if (account instanceof Answered) return account.response;
    const operation = readOperation(request, url, mediaType, dependencies);
    if (operation instanceof Answered) return operation.response;
    const limits = await consumeReadLimit(account, operation.operation, mediaType, dependencies);
    if (limits instanceof Answered) return limits.response;
    const claim = await claimIdempotencyKey(request, account, operation, mediaType, dependencies);
    if (claim instanceof Answered) return claim.response;

    let execution: Execution;
    try {
      execution = await executeOperation(request, account, operation, limits, claim, mediaType, dependencies);
      addRateLimitHeaders(execution.response, limits);
    } catch (error) {
      await claim?.release();
      throw error;
    }
    return claim ? claim.settle(execution) : execution.response;
  }
}
