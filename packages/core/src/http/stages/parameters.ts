// The GraphQL request itself: its parameters (from the URL for GET, the body for POST), its
// document, parsed, validated and checked against the document limits, and the one operation to
// run. Whatever cannot run over this transport is refused here, before any limit is spent.
import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { DoitongError } from '../../errors';
import type { DocumentCache } from '../../graphql/documents';
import type { Logger } from '../../logger';
import { readParams, type GraphQLParams, type ResponseMediaType } from '../graphql-params';
import { Answered, errorResponse, requestErrors } from '../responses';
import type { DoitongRequest } from '../types';

export interface ParameterDependencies {
  documents: DocumentCache;
  maxBodyBytes: number;
  logger: Logger;
}

/** A request's operation, ready to execute. */
export interface GraphQLOperation {
  params: GraphQLParams;
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

const noSearchParameters = new URLSearchParams();

/** `url` is given for GET requests, whose parameters are in it. */
export function readOperation(
  request: DoitongRequest,
  url: URL | undefined,
  mediaType: ResponseMediaType,
  dependencies: ParameterDependencies,
): GraphQLOperation | Answered {
  // Only a GET request reads its parameters from the URL.
  const params = readParams(request, url?.searchParams ?? noSearchParameters, dependencies.maxBodyBytes);
  const prepared = dependencies.documents.prepare(params.query);
  if (!prepared.ok) return new Answered(requestErrors(prepared.code, prepared.errors, mediaType, dependencies.logger));
  const operation = pickOperation(prepared.operations, params.operationName);
  if (!operation) {
    const message = params.operationName ? `Unknown operation named "${params.operationName}".` : 'Provide operationName: the document has several operations.';
    return new Answered(requestErrors('OPERATION_RESOLUTION_FAILURE', [new GraphQLError(message)], mediaType, dependencies.logger));
  }
  if (operation.operation === 'subscription')
    return new Answered(
      errorResponse(
        new DoitongError(
          'BAD_REQUEST',
          'Subscriptions are streamed as Server-Sent Events: send the request with "Accept: text/event-stream" (GraphQL over SSE).',
        ),
        mediaType,
      ),
    );
  if (request.method === 'GET' && operation.operation !== 'query')
    return new Answered(
      errorResponse(
        new DoitongError('METHOD_NOT_ALLOWED', `A ${operation.operation} cannot be sent with GET; use POST.`, { headers: { allow: 'POST' } }),
        mediaType,
      ),
    );
  return { params, document: prepared.document, operation };
}

/** The operation named `name`, or the document's only one when no name is given. */
export function pickOperation(operations: Map<string | null, OperationDefinitionNode>, name: string | null): OperationDefinitionNode | undefined {
  if (name !== null) return [...operations.values()].find((operation) => operation.name?.value === name);
  return operations.size === 1 ? operations.values().next().value : undefined;
}
