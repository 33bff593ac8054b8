import { getOperationAST, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createHandler, type Request as StreamRequest, type Response as StreamResponse } from 'graphql-sse';
import type { Account } from '../accounts/account';
import { DoitongError } from '../errors';
import type { RequestContext, Services } from '../graphql/context';
import type { DocumentCache } from '../graphql/documents';
import type { Logger } from '../logger';
import type { Plan } from '../policies/plans';
import type { RateLimits, RatePolicyState } from '../policies/rate-limits';
import { errorBody, formatError } from './error-format';
import { headerValue } from './graphql-params';
import { rateLimitHeaders } from './rate-limit-headers';
import { unauthenticated } from './stages/authenticate';
import { readLimitReached } from './stages/read-limit';
import type { DoitongRequest, DoitongResponse } from './types';
import type { HttpTelemetry } from './http-telemetry';

export interface EventStreamDependencies {
  schema: GraphQLSchema;
  documents: DocumentCache;
  services: Services;
  limits: RateLimits;
  logger: Logger;
  authenticate(request: DoitongRequest): Promise<Account | null>;
  planFor(account: Account): Plan;
  telemetry?: HttpTelemetry;
}

/** graphql-sse's type for an operation's context: our RequestContext, seen as a record. */
type OperationContext = Record<PropertyKey, unknown>;

/** What the route learns about a request before the operation runs. */
interface StreamRequestContext {
  account?: Account;
  read?: RatePolicyState;
}

/** True for a request that asks for an event stream: the GraphQL over SSE protocol. */
export function wantsEventStream(request: DoitongRequest): boolean {
  return (headerValue(request.headers.accept) ?? '').toLowerCase().includes('text/event-stream');
}

/**
 * GraphQL over Server-Sent Events at the mount path (the `graphql-sse` package's protocol, in its
 * "distinct connections" mode, so its official client works unchanged): a subscription such as
 * `generationUpdated(id)` streams each change, a query streams its one result. Authentication,
 * the reads limit, document limits and error masking are the same as for GraphQL over HTTP.
 * Mutations are refused here: they go through POST, where Idempotency-Key and the generation
 * limits apply.
 */
export function eventStreamRoute(dependencies: EventStreamDependencies): (request: DoitongRequest) => Promise<DoitongResponse> {
  const handler = createHandler<DoitongRequest, StreamRequestContext, OperationContext>({
    schema: dependencies.schema,
    // Documents were validated (and their limits checked) by the document cache in onSubscribe.
    validate: () => [],
    // Distinct connections only: no stream token, so every request carries its own operation.
    authenticate: async (request) => {
      const account = await dependencies.authenticate(request.raw);
      if (!account) return refusal(unauthenticated());
      const plan = dependencies.planFor(account);
      const read = await dependencies.limits.consumeRead(account.id, plan);
      if (!read.allowed) {
        dependencies.telemetry?.rateLimitRefused('reads', plan.id);
        return refusal(readLimitReached(read), rateLimitHeaders(plan, [read], read));
      }
      request.context.account = account;
      request.context.read = read;
      return null;
    },
    onSubscribe: (request, params) => {
      const account = request.context.account!;
      const prepared = dependencies.documents.prepare(params.query);
      if (!prepared.ok) return graphqlRefusal(prepared.code, prepared.errors, dependencies.logger);
      const operation = getOperationAST(prepared.document, params.operationName ?? undefined);
      if (!operation)
        return graphqlRefusal('OPERATION_RESOLUTION_FAILURE', [new GraphQLError('Name the operation to run: the document has several.')], dependencies.logger);
      if (operation.operation === 'mutation')
        return refusal(
          new DoitongError('METHOD_NOT_ALLOWED', 'Send mutations with POST and Content-Type: application/json, not as an event stream.', {
            headers: { allow: 'POST' },
          }),
        );
      const contextValue: RequestContext = {
        services: dependencies.services,
        account,
        baseUrl: request.raw.baseUrl ?? '',
        idempotencyKey: null,
        rateLimits: new Map(request.context.read ? [[request.context.read.policy, request.context.read]] : []),
        generationFields: { attempted: 0, refusedForRate: 0, retryAfterSeconds: 0 },
      };
      return {
        schema: dependencies.schema,
        document: prepared.document,
        operationName: params.operationName ?? null,
        variableValues: params.variables ?? null,
        contextValue: contextValue as unknown as OperationContext,
      };
    },
    // Every result goes out through the same masking as GraphQL over HTTP.
    onNext: (_context, _request, result) => {
      const errors = (result as ExecutionResult).errors;
      if (!errors?.length) return undefined;
      return { ...result, errors: errors.map((error) => formatError(error, dependencies.logger)) } as unknown as ExecutionResult;
    },
  });

  return async (request) => {
    const streamRequest: StreamRequest<DoitongRequest, StreamRequestContext> = {
      method: request.method,
      url: request.url,
      headers: {
        // The protocol's handler matches `text/event-stream` exactly; browsers add other types beside it.
        get: (name) =>
          name.toLowerCase() === 'accept' && wantsEventStream(request) ? 'text/event-stream' : (headerValue(request.headers[name.toLowerCase()]) ?? null),
      },
      body: bodyOf(request),
      raw: request,
      context: {},
    };
    const [body, init] = await handler(streamRequest);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    if (headers['content-type']?.startsWith('text/event-stream')) {
      // Proxies (nginx) must pass events on as they come instead of buffering the response.
      headers['x-accel-buffering'] = 'no';
      const read = streamRequest.context.read;
      if (read && streamRequest.context.account) Object.assign(headers, rateLimitHeaders(dependencies.planFor(streamRequest.context.account), [read], read));
    }
    if (typeof body === 'string' || body === null) return { status: init.status, headers, body };
    return { status: init.status, headers, body: closeOnAbort(body, request.signal) };
  };
}

/** Ends the event stream as soon as the client goes away, not at the next event. */
function closeOnAbort(stream: AsyncGenerator<string, void, undefined>, signal: AbortSignal | undefined): AsyncIterable<string> {
  if (!signal) return stream;
  if (signal.aborted) void stream.return(undefined);
  else signal.addEventListener('abort', () => void stream.return(undefined), { once: true });
  return stream;
}

function bodyOf(request: DoitongRequest): string | Record<PropertyKey, unknown> | null {
  const body = request.body;
  if (body === undefined || body === null) return null;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (typeof body === 'string') return body;
  return body as Record<PropertyKey, unknown>;
}

function refusal(error: DoitongError, extraHeaders: Record<string, string> = {}): StreamResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...extraHeaders };
  for (const [name, value] of Object.entries(error.headers)) headers[name.toLowerCase()] = value;
  return [errorBody(error), { status: error.status, statusText: error.code, headers }];
}

function graphqlRefusal(code: string, errors: readonly GraphQLError[], logger: Logger): StreamResponse {
  return [
    JSON.stringify({ errors: errors.map((error) => formatError(error, logger, code)) }),
    { status: 400, statusText: code, headers: { 'content-type': 'application/json; charset=utf-8' } },
  ];
}
