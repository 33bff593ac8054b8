// Runs the operation for the account and turns its result into the response: request errors
// when nothing ran, 429 when every generation field was refused for rate, 200 otherwise. Also
// tells whether the operation changed anything, which decides what an Idempotency-Key keeps.
import type { GraphQLError } from 'graphql';
import type { Account } from '../../accounts/account';
import type { RequestContext, Services } from '../../graphql/context';
import type { OperationExecutor } from '../../graphql/executor';
import type { Logger } from '../../logger';
import { formatError } from '../error-format';
import type { ResponseMediaType } from '../graphql-params';
import { contentType, requestErrors } from '../responses';
import type { DoitongRequest, DoitongResponse } from '../types';
import type { GraphQLOperation } from './parameters';
import type { RequestLimits } from './read-limit';

export interface ExecuteDependencies {
  executor: OperationExecutor;
  services: Services;
  logger: Logger;
}

/** What running one operation came to. */
export interface Execution {
  response: DoitongResponse;
  /** Some root field resolved: the request changed something (see `hadEffect`). */
  effective: boolean;
  /** A field answered a secret shown only once: the response is never kept for a replay. */
  oneTimeSecret: boolean;
  /** The response body before it was serialised, when the operation ran. */
  body?: Record<string, unknown>;
}

/** What execution needs of the request's hold on its Idempotency-Key (an `IdempotencyClaim`). */
export interface KeyClaim {
  key: string;
  attempt: string | undefined;
  resumes: boolean;
}

export async function executeOperation(
  request: DoitongRequest,
  account: Account,
  operation: GraphQLOperation,
  limits: RequestLimits,
  claim: KeyClaim | null,
  mediaType: ResponseMediaType,
  dependencies: ExecuteDependencies,
): Promise<Execution> {
  const context: RequestContext = {
    services: dependencies.services,
    account,
    baseUrl: request.baseUrl ?? '',
    idempotencyKey: claim?.key ?? null,
    ...(claim?.attempt ? { idempotencyAttempt: { attempt: claim.attempt, resumes: claim.resumes, created: 0 } } : {}),
    rateLimits: limits.states,
    generationFields: { attempted: 0, refusedForRate: 0, retryAfterSeconds: 0 },
  };
  const { params } = operation;
  const result = await dependencies.executor.execute(operation.document, params.operationName, params.variables, context);
  if (!('data' in result) || result.data === undefined) {
    // Variable coercion failed: a request error, nothing ran.
    return { response: requestErrors('BAD_USER_INPUT', result.errors ?? [], mediaType, dependencies.logger), effective: false, oneTimeSecret: false };
  }
  const body: Record<string, unknown> = { data: result.data };
  if (result.errors?.length) body.errors = result.errors.map((error) => formatError(error, dependencies.logger));
  const fields = context.generationFields;
  const refusedAll = fields.attempted > 0 && fields.refusedForRate === fields.attempted;
  const response: DoitongResponse = { status: refusedAll ? 429 : 200, headers: contentType(mediaType), body: JSON.stringify(body) };
  if (refusedAll) response.headers['retry-after'] = String(Math.max(1, fields.retryAfterSeconds));
  return { response, effective: hadEffect(result.data, result.errors), oneTimeSecret: context.oneTimeSecret === true, body };
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
