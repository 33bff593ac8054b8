import { hash } from 'node:crypto';
import { GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import stringify from 'safe-stable-stringify';
import type { Account } from '../accounts/account';
import { DoitongError, isDoitongError } from '../errors';
import type { Logger } from '../logger';
import type { IdempotencyBudget, IdempotencyResult, IdempotencyStore, NotKeptReason, StoredResponse } from '../policies/idempotency';
import type { Plan } from '../policies/plans';
import type { RateLimits, RatePolicyState } from '../policies/rate-limits';
import type { RequestContext, Services } from '../graphql/context';
import type { DocumentCache } from '../graphql/documents';
import type { OperationExecutor } from '../graphql/executor';
import { serveAsset } from './assets-route';
import { wantsEventStream } from './event-stream';
import { graphiqlResponse, serveGraphiqlAsset, wantsGraphiql } from './graphiql';
import { checkReadiness, type Resource } from './health';
import { errorBody, formatError } from './error-format';
import { headerValue, negotiate, readParams, type ResponseMediaType } from './graphql-params';
import { decodePathSegment, requestUrl } from './path';
import { rateLimitHeaders } from './rate-limit-headers';
import type { DoitongRequest, DoitongResponse } from './types';
import type { Telemetry } from '../telemetry/telemetry';

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
  telemetry?: Telemetry;
}

const noSearchParameters = new URLSearchParams();
const generationFields = new Set(['generate', 'videoCreate']);
const maxIdempotencyKeyLength = 255;

/**
 * The one framework-neutral handler: request in, response out. Bindings translate; all
 * behaviour lives here so Express, Koa and a bare node:http server answer identically.
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
    if (this.#dependencies.closing?.() && path !== '/health') {
      // Draining: the work already accepted finishes, nothing new is taken on.
      if (path === '/ready') return json(503, { ready: false, closing: true, checks: {} });
      return errorResponse(
        new DoitongError('SERVICE_UNAVAILABLE', 'This instance is shutting down; retry the request.', { details: { reason: 'shutting_down' }, headers: { 'retry-after': '1', connection: 'close' } }),
        'application/json',
      );
    }
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

  /** `url` is given for GET requests, whose parameters are in it. */
  async #graphql(request: DoitongRequest, url: URL | undefined): Promise<DoitongResponse> {
    if (request.method !== 'GET' && request.method !== 'POST')
      return errorResponse(new DoitongError('METHOD_NOT_ALLOWED', `Use GET or POST for GraphQL, not ${request.method}.`, { headers: { allow: 'GET, POST' } }), 'application/json');
    const mediaType = negotiate(headerValue(request.headers.accept));
    if (!mediaType) return errorResponse(new DoitongError('NOT_ACCEPTABLE', 'Accept application/graphql-response+json or application/json.'), 'application/json');

    const account = await this.#dependencies.authenticate(request);
    if (!account) return errorResponse(new DoitongError('UNAUTHENTICATED', undefined, { headers: { 'www-authenticate': 'Bearer' } }), mediaType);

    // Only a GET request reads its parameters from the URL.
    const params = readParams(request, url?.searchParams ?? noSearchParameters, this.#dependencies.maxBodyBytes);
    const prepared = this.#dependencies.documents.prepare(params.query);
    if (!prepared.ok) return requestErrors(prepared.code, prepared.errors, mediaType, this.#dependencies.logger);
    const operation = pickOperation(prepared.operations, params.operationName);
    if (!operation) {
      const message = params.operationName ? `Unknown operation named "${params.operationName}".` : 'Provide operationName: the document has several operations.';
      return requestErrors('OPERATION_RESOLUTION_FAILURE', [new GraphQLError(message)], mediaType, this.#dependencies.logger);
    }
    if (operation.operation === 'subscription')
      return errorResponse(new DoitongError('BAD_REQUEST', 'Subscriptions are streamed as Server-Sent Events: send the request with "Accept: text/event-stream" (GraphQL over SSE).'), mediaType);
    if (request.method === 'GET' && operation.operation !== 'query')
      return errorResponse(new DoitongError('METHOD_NOT_ALLOWED', `A ${operation.operation} cannot be sent with GET; use POST.`, { headers: { allow: 'POST' } }), mediaType);

    const plan = this.#dependencies.planFor(account);
    const isGeneration = operation.operation === 'mutation' && operation.selectionSet.selections.some((selection) => selection.kind === 'Field' && generationFields.has(selection.name.value));
    const states = new Map<string, RatePolicyState>();
    if (!isGeneration) {
      const read = await this.#dependencies.limits.consumeRead(account.id, plan);
      states.set(read.policy, read);
      if (!read.allowed) {
        this.#dependencies.telemetry?.rateLimitRefused('reads', plan.id);
        const error = new DoitongError('RATE_LIMIT', `The read limit of ${read.limit} requests per minute is reached; retry in ${read.resetSeconds} s.`, {
          details: { policy: 'reads', limit: read.limit, retryAfterSeconds: read.resetSeconds },
          headers: { 'retry-after': String(read.resetSeconds) },
        });
        const response = errorResponse(error, mediaType);
        Object.assign(response.headers, rateLimitHeaders(plan, states.values(), read));
        return response;
      }
    }

    const idempotencyKey = operation.operation === 'mutation' ? readIdempotencyKey(request) : null;
    let fingerprint = '';
    let lease: Lease | undefined;
    if (idempotencyKey) {
      fingerprint = hash('sha256', stringify({ query: params.query, operationName: params.operationName, variables: params.variables ?? {} }) ?? '', 'base64url');
      const claim = await this.#dependencies.idempotency.claim(account.id, idempotencyKey, fingerprint, this.#dependencies.idempotencyLeaseMilliseconds);
      if (claim.outcome === 'replay') return replay(claim.response);
      if (claim.outcome === 'in_flight') return errorResponse(new DoitongError('IDEMPOTENCY_KEY_IN_USE'), mediaType);
      if (claim.outcome === 'mismatch') return errorResponse(new DoitongError('IDEMPOTENCY_KEY_REUSED'), mediaType);
      if (claim.outcome === 'not_kept') return errorResponse(notKeptError(claim.reason, claim.completedAt), mediaType);
      lease = this.#renewWhileRunning(account.id, idempotencyKey, claim.token);
    }

    let response: DoitongResponse;
    let effective = false;
    let oneTimeSecret = false;
    let body: Record<string, unknown> | undefined;
    try {
      const context: RequestContext = {
        services: this.#dependencies.services,
        account,
        baseUrl: request.baseUrl ?? '',
        idempotencyKey,
        rateLimits: states,
        generationFields: { attempted: 0, refusedForRate: 0, retryAfterSeconds: 0 },
      };
      const result = await this.#dependencies.executor.execute(prepared.document, params.operationName, params.variables, context);
      if (!('data' in result) || result.data === undefined) {
        // Variable coercion failed: a request error, nothing ran.
        response = requestErrors('BAD_USER_INPUT', result.errors ?? [], mediaType, this.#dependencies.logger);
      } else {
        effective = hadEffect(result.data, result.errors);
        oneTimeSecret = context.oneTimeSecret === true;
        body = { data: result.data };
        if (result.errors?.length) body.errors = result.errors.map((error) => formatError(error, this.#dependencies.logger));
        const fields = context.generationFields;
        const refusedAll = fields.attempted > 0 && fields.refusedForRate === fields.attempted;
        response = { status: refusedAll ? 429 : 200, headers: contentType(mediaType), body: JSON.stringify(body) };
        if (refusedAll) response.headers['retry-after'] = String(Math.max(1, fields.retryAfterSeconds));
      }
      const used = [...states.values()].find((state) => !state.allowed) ?? states.get(isGeneration ? 'minute' : 'reads') ?? states.get('reads');
      Object.assign(response.headers, rateLimitHeaders(plan, states.values(), used));
    } catch (error) {
      if (idempotencyKey && lease) {
        lease.stop();
        await this.#dependencies.idempotency.release(account.id, idempotencyKey, lease.token);
      }
      throw error;
    }

    if (idempotencyKey && lease) {
      lease.stop();
      // Only a request that changed something is the key's answer. One refused before execution,
      // or whose every field failed (for its input, its limits, or retryably: SERVICE_UNAVAILABLE),
      // changed nothing: the claim is released so a retry runs it again.
      if (!effective || typeof response.body !== 'string') {
        await this.#dependencies.idempotency.release(account.id, idempotencyKey, lease.token);
        return response;
      }
      const notKept = oneTimeSecret ? 'secret' : await this.#overBudget(account.id, response.body);
      if (notKept) {
        // Answered as usual, saying that a retry with this key will not get the answer again.
        response.headers['idempotency-response'] = `not-kept; reason=${notKept}`;
        if (body) response.body = JSON.stringify({ ...body, extensions: { idempotency: { code: 'IDEMPOTENCY_RESPONSE_NOT_KEPT', reason: notKept } } });
      }
      const stored: IdempotencyResult = notKept ? { notKept } : { response: { status: response.status, headers: response.headers, body: response.body } };
      await this.#dependencies.idempotency.complete(account.id, idempotencyKey, lease.token, fingerprint, stored, this.#dependencies.idempotencyTtlMilliseconds);
    }
    return response;
  }

  /** Why a response is too large to keep (on its own, or for the account's budget), or undefined when it fits. */
  async #overBudget(scope: string, body: string): Promise<NotKeptReason | undefined> {
    const { maxResponseBytes, accountBytes } = this.#dependencies.idempotencyLimits;
    const bytes = Buffer.byteLength(body);
    if (bytes > maxResponseBytes) return 'size';
    const fits = await this.#dependencies.idempotencyBudget.charge(scope, bytes, accountBytes, this.#dependencies.idempotencyTtlMilliseconds);
    return fits ? undefined : 'budget';
  }

  /** Renews an idempotency claim every third of its lease until stopped, so only a dead request's claim lapses. */
  #renewWhileRunning(scope: string, key: string, token: string): Lease {
    const leaseMilliseconds = this.#dependencies.idempotencyLeaseMilliseconds;
    const timer = setInterval(() => {
      this.#dependencies.idempotency.renew(scope, key, token, leaseMilliseconds).then(
        (renewed) => {
          if (!renewed) this.#dependencies.logger.warn({ key, scope }, 'an idempotency claim lapsed while its request was still running');
        },
        (error: unknown) => this.#dependencies.logger.warn({ err: error, key, scope }, 'renewing an idempotency claim failed'),
      );
    }, Math.max(1, Math.floor(leaseMilliseconds / 3)));
    timer.unref?.();
    return { token, stop: () => clearInterval(timer) };
  }
}

interface Lease {
  token: string;
  stop(): void;
}

/**
 * Whether executing a mutation changed anything: some root field resolved. A root resolver that
 * throws (invalid input, a refused limit, SERVICE_UNAVAILABLE) leaves nothing behind, and its
 * error sits at the field's own path; an error deeper down means the root field itself ran.
 */
function hadEffect(data: Record<string, unknown> | null, errors: readonly GraphQLError[] | undefined): boolean {
  const failed = new Set<string | number>();
  for (const error of errors ?? []) {
    if (!error.path || error.path.length === 0) continue;
    if (error.path.length > 1) return true;
    failed.add(error.path[0]!);
  }
  if (!data) return false;
  for (const key in data) if (!failed.has(key)) return true;
  return false;
}

function notKeptError(reason: NotKeptReason, completedAt: number): DoitongError {
  const why = { size: 'its response was larger than the idempotency store keeps', budget: "its response did not fit the account's idempotency storage budget", secret: 'its response held a one-time secret' }[reason];
  return new DoitongError('IDEMPOTENCY_RESPONSE_NOT_KEPT', `The request with this Idempotency-Key ran at ${new Date(completedAt).toISOString()}, but ${why}, so it cannot be replayed; read the result with a query.`, {
    details: { reason, completedAt: new Date(completedAt).toISOString() },
  });
}

export function pickOperation(operations: Map<string | null, OperationDefinitionNode>, name: string | null): OperationDefinitionNode | undefined {
  if (name !== null) return [...operations.values()].find((operation) => operation.name?.value === name);
  return operations.size === 1 ? operations.values().next().value : undefined;
}

function readIdempotencyKey(request: DoitongRequest): string | null {
  let key = headerValue(request.headers['idempotency-key']);
  if (key === undefined) return null;
  key = key.trim();
  // draft-ietf-httpapi-idempotency-key-header makes the value a Structured Field String: "…".
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) key = key.slice(1, -1);
  if (key === '' || key.length > maxIdempotencyKeyLength || !/^[\x21-\x7e]+$/.test(key))
    throw new DoitongError('IDEMPOTENCY_KEY_INVALID', `An Idempotency-Key is 1 to ${maxIdempotencyKeyLength} visible ASCII characters.`, {
      details: { maxLength: maxIdempotencyKeyLength },
    });
  return key;
}

function replay(stored: StoredResponse): DoitongResponse {
  return { status: stored.status, headers: { ...stored.headers, 'idempotent-replayed': 'true' }, body: stored.body };
}

/**
 * Errors that stop a request before execution. GraphQL-over-HTTP: `application/json`
 * clients get 200 (legacy behaviour the audits expect), the new media type gets 400;
 * a document refused for its size or cost is 400 for everyone.
 */
export function requestErrors(code: string, errors: readonly GraphQLError[], mediaType: ResponseMediaType, logger: Logger): DoitongResponse {
  const status = mediaType === 'application/json' && code !== 'QUERY_TOO_COMPLEX' ? 200 : 400;
  const body = { errors: errors.map((error) => formatError(error, logger, code)) };
  return { status, headers: contentType(mediaType), body: JSON.stringify(body) };
}

export function errorResponse(error: DoitongError, mediaType: ResponseMediaType): DoitongResponse {
  return { status: error.status, headers: { ...contentType(mediaType), ...lowerCase(error.headers) }, body: errorBody(error) };
}

function contentType(mediaType: ResponseMediaType): Record<string, string> {
  return { 'content-type': `${mediaType}; charset=utf-8` };
}

function json(status: number, value: unknown): DoitongResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}
