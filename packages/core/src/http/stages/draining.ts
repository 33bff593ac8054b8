// The first stage: once `close()` began, an instance refuses new work so a load balancer sends it
// elsewhere, while the work already accepted finishes.
import { DoitongError } from '../../errors';
import { errorResponse, json } from '../responses';
import type { DoitongResponse } from '../types';

/** The answer to a request that arrives while the instance shuts down (`/health` is still served). */
export function drainingResponse(path: string): DoitongResponse {
  if (path === '/ready') return json(503, { ready: false, closing: true, checks: {} });
  return errorResponse(
    new DoitongError('SERVICE_UNAVAILABLE', 'This instance is shutting down; retry the request.', {
      details: { reason: 'shutting_down' },
      headers: { 'retry-after': '1', connection: 'close' },
    }),
    'application/json',
  );
}
