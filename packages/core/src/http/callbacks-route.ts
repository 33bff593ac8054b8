import { DoitongError } from '../errors';
import type { GenerationStore } from '../engine/generation-store';
import type { GenerationWorker } from '../engine/worker';
import type { Logger } from '../logger';
import type { Clock } from '../policies/clock';
import type { ProviderRegistry } from '../providers/registry';
import { errorBody } from './error-format';
import { decodePathSegment } from './path';
import type { DoitongRequest, DoitongResponse } from './types';

export interface CallbackRouteDependencies {
  generations: GenerationStore;
  registry: ProviderRegistry;
  worker: GenerationWorker;
  clock: Clock;
  logger: Logger;
}

const callbackPath = /^\/callbacks\/([^/]+)\/([^/]+)\/?$/;

/**
 * `POST <mount>/callbacks/<provider>/<generationId>`: where providers call back. The transport
 * verifies the callback (signatures where the provider signs) and says whether to look; the
 * route then asks the engine for an immediate status check. The body is never taken as the
 * outcome: billing follows only what the provider's own status endpoint says.
 */
export function callbackRoute(dependencies: CallbackRouteDependencies) {
  return async (request: DoitongRequest, url: URL): Promise<DoitongResponse | undefined> => {
    const match = callbackPath.exec(url.pathname);
    if (!match) return undefined;
    if (request.method !== 'POST') return failure(new DoitongError('METHOD_NOT_ALLOWED', 'Provider callbacks are POSTed.', { headers: { allow: 'POST' } }));
    const providerId = decodePathSegment(match[1]!);
    const generationId = decodePathSegment(match[2]!);
    const generation = await dependencies.generations.get(generationId);
    const adapter = generation ? dependencies.registry.resolve(providerId, generation.livemode ? 'live' : 'test') : undefined;
    if (!generation || generation.provider !== providerId || !adapter?.parseCallback)
      return failure(new DoitongError('NOT_FOUND', 'No generation of this provider takes callbacks here.'));
    let result;
    try {
      result = adapter.parseCallback({ headers: request.headers, body: rawBody(request.body), now: () => dependencies.clock.now() });
    } catch (error) {
      // Anyone can post here: what they sent is logged by its message, never with a stack.
      dependencies.logger.warn(
        { reason: error instanceof Error ? error.message : String(error), generationId, provider: providerId },
        'unreadable provider callback',
      );
      return failure(new DoitongError('BAD_REQUEST', 'The callback could not be read.'));
    }
    if (!result.verified) return failure(new DoitongError('UNAUTHENTICATED', 'The callback signature does not verify.'));
    if (result.checkStatus && generation.status === 'PROCESSING') await dependencies.worker.checkNow(generationId);
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(result.reply ?? { received: true }) };
  };
}

/**
 * The bytes the provider sent. A host body parser that ran first leaves an object: it is
 * serialised back, which matches compact JSON bodies byte for byte (mount Doitong before
 * `express.json()` to verify signatures of any body exactly).
 */
function rawBody(body: DoitongRequest['body']): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body));
}

function failure(error: DoitongError): DoitongResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  for (const [name, value] of Object.entries(error.headers)) headers[name.toLowerCase()] = value;
  return { status: error.status, headers, body: errorBody(error) };
}
