// Who is calling: an account's API key as a Bearer token, or the host's own `authenticate`.
// Nothing past this stage runs for a request without an account.
import type { Account } from '../../accounts/account';
import type { Accounts } from '../../accounts/accounts';
import { DoitongError } from '../../errors';
import { headerValue, type ResponseMediaType } from '../graphql-params';
import { Answered, errorResponse } from '../responses';
import type { DoitongRequest } from '../types';

/** Finds the account a request speaks for; null when it has none (401). */
export type Authenticate = (request: DoitongRequest) => Promise<Account | null>;

/** The host's replacement for Bearer API keys (`DoitongOptions.authenticate`). */
export type HostAuthenticate = (request: DoitongRequest, accounts: Accounts) => Promise<Account | null> | Account | null;

/** The token of an `Authorization: Bearer <token>` header, or undefined without one. */
export function bearerToken(request: DoitongRequest): string | undefined {
  const authorization = headerValue(request.headers.authorization);
  return authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
}

/** Authentication by the host's function when it gave one, else by the account API key in a Bearer token. */
export function accountAuthentication(accounts: Accounts, hostAuthenticate: HostAuthenticate | undefined): Authenticate {
  if (hostAuthenticate) return async (request) => (await hostAuthenticate(request, accounts)) ?? null;
  return async (request) => {
    const token = bearerToken(request);
    return token ? accounts.authenticate(token) : null;
  };
}

/** 401, asking for a Bearer token. */
export function unauthenticated(): DoitongError {
  return new DoitongError('UNAUTHENTICATED', undefined, { headers: { 'www-authenticate': 'Bearer' } });
}

/** The calling account, or the 401 refusal. */
export async function authenticateRequest(
  request: DoitongRequest,
  mediaType: ResponseMediaType,
  dependencies: { authenticate: Authenticate },
): Promise<Account | Answered> {
  const account = await dependencies.authenticate(request);
  return account ?? new Answered(errorResponse(unauthenticated(), mediaType));
}
