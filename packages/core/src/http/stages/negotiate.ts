// GraphQL over HTTP takes GET and POST only, and answers in a media type the client accepts: both
// are settled before anything else, so every later refusal is written in that media type.
import { DoitongError } from '../../errors';
import { headerValue, negotiate, type ResponseMediaType } from '../graphql-params';
import { Answered, errorResponse } from '../responses';
import type { DoitongRequest } from '../types';

/** The media type of the answer, or the refusal of a method or an Accept header GraphQL cannot serve. */
export function negotiateGraphQL(request: DoitongRequest): ResponseMediaType | Answered {
  if (request.method !== 'GET' && request.method !== 'POST')
    return new Answered(
      errorResponse(
        new DoitongError('METHOD_NOT_ALLOWED', `Use GET or POST for GraphQL, not ${request.method}.`, { headers: { allow: 'GET, POST' } }),
        'application/json',
      ),
    );
  const mediaType = negotiate(headerValue(request.headers.accept));
  if (!mediaType)
    return new Answered(errorResponse(new DoitongError('NOT_ACCEPTABLE', 'Accept application/graphql-response+json or application/json.'), 'application/json'));
  return mediaType;
}
