import { hash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Account } from '../accounts/account';
import { DoitongError } from '../errors';
import { formatError } from '../http/error-format';
import { headerValue, negotiate, readParams } from '../http/graphql-params';
import { errorResponse, requestErrors } from '../http/responses';
import { bearerToken } from '../http/stages/authenticate';
import { pickOperation } from '../http/stages/parameters';
import type { DoitongRequest, DoitongResponse } from '../http/types';
import type { DocumentCache } from '../graphql/documents';
import type { OperationExecutor } from '../graphql/executor';
import type { Logger } from '../logger';

export interface AdminRouteOptions {
  /** SHA-256 digests of the admin credentials the host configured. */
  keyDigests: readonly Buffer[];
  documents: DocumentCache;
  executor: OperationExecutor;
  /** Tells an account's API key from an unknown one, to answer FORBIDDEN rather than UNAUTHENTICATED. */
  authenticateAccount(key: string): Promise<Account | null>;
  maxBodyBytes: number;
  logger: Logger;
}

/** The digest an admin credential is compared by: equal lengths, so the comparison is constant time. */
export function adminKeyDigest(key: string): Buffer {
  return hash('sha256', key, 'buffer') as unknown as Buffer;
}

/**
 * GraphQL for the host's operators at `<mount>/admin` (GET and POST, GraphQL over HTTP), behind
 * `Authorization: Bearer <admin key>`. No credential is 401 UNAUTHENTICATED; an account's API key
 * or a wrong credential is 403 FORBIDDEN, so an account can never read or change another's.
 */
export function adminRoute(options: AdminRouteOptions) {
  return async (request: DoitongRequest, url: URL): Promise<DoitongResponse | undefined> => {
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== '/admin') return undefined;
    const mediaType = negotiate(headerValue(request.headers.accept)) ?? 'application/json';
    if (request.method !== 'GET' && request.method !== 'POST')
      return errorResponse(
        new DoitongError('METHOD_NOT_ALLOWED', `Use GET or POST for GraphQL, not ${request.method}.`, { headers: { allow: 'GET, POST' } }),
        mediaType,
      );
    const key = bearerToken(request);
    if (!key)
      return errorResponse(
        new DoitongError('UNAUTHENTICATED', 'The admin credential is required: send "Authorization: Bearer <admin key>".', {
          headers: { 'www-authenticate': 'Bearer realm="doitong-admin"' },
        }),
        mediaType,
      );
    const digest = adminKeyDigest(key);
    // Every configured credential is compared, so the time taken says nothing about which matched.
    let matched = false;
    for (const expected of options.keyDigests) matched = timingSafeEqual(digest, expected) || matched;
    if (!matched) {
      const account = await options.authenticateAccount(key);
      const message = account ? 'An account API key cannot use the admin API: send the admin credential.' : 'This is not the admin credential.';
      return errorResponse(new DoitongError('FORBIDDEN', message), mediaType);
    }

    const params = readParams(request, url.searchParams, options.maxBodyBytes);
    const prepared = options.documents.prepare(params.query);
    if (!prepared.ok) return requestErrors(prepared.code, prepared.errors, mediaType, options.logger);
    const operation = pickOperation(prepared.operations, params.operationName);
    if (!operation)
      return requestErrors(
        'OPERATION_RESOLUTION_FAILURE',
        [
          new GraphQLError(
            params.operationName ? `Unknown operation named "${params.operationName}".` : 'Provide operationName: the document has several operations.',
          ),
        ],
        mediaType,
        options.logger,
      );
    if (request.method === 'GET' && operation.operation !== 'query')
      return errorResponse(
        new DoitongError('METHOD_NOT_ALLOWED', `A ${operation.operation} cannot be sent with GET; use POST.`, { headers: { allow: 'POST' } }),
        mediaType,
      );
    const result = await options.executor.execute(prepared.document, params.operationName, params.variables, {});
    if (!('data' in result) || result.data === undefined) return requestErrors('BAD_USER_INPUT', result.errors ?? [], mediaType, options.logger);
    const body: Record<string, unknown> = { data: result.data };
    if (result.errors?.length) body.errors = result.errors.map((error) => formatError(error, options.logger));
    // Operators' data: never cached by a browser or a proxy on the way.
    return { status: 200, headers: { 'content-type': `${mediaType}; charset=utf-8`, 'cache-control': 'no-store' }, body: JSON.stringify(body) };
  };
}
