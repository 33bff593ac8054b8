// An Idempotency-Key makes a mutation safe to retry: the first request with a key claims it and
// its answer is kept; a retry gets that answer replayed, and a concurrent one is refused. Only a
// request that changed something becomes the key's answer.
import { hash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { Account } from '../../accounts/account';
import { DoitongError } from '../../errors';
import type { Logger } from '../../logger';
import type { IdempotencyBudget, IdempotencyResult, IdempotencyStore, NotKeptReason, StoredResponse } from '../../policies/idempotency';
import { headerValue, type ResponseMediaType } from '../graphql-params';
import { Answered, errorResponse } from '../responses';
import type { DoitongRequest, DoitongResponse } from '../types';
import type { Execution } from './execute';
import type { GraphQLOperation } from './parameters';

export interface IdempotencyDependencies {
  idempotency: IdempotencyStore;
  idempotencyBudget: IdempotencyBudget;
  idempotencyLimits: { maxResponseBytes: number; accountBytes: number };
  idempotencyTtlMilliseconds: number;
  idempotencyLeaseMilliseconds: number;
  logger: Logger;
}

const maxIdempotencyKeyLength = 255;

/**
 * For a mutation with an Idempotency-Key: the claim on the key, or the answer when the key was
 * used before (a replay, or a refusal). Null when there is no key to claim.
 */
export async function claimIdempotencyKey(
  request: DoitongRequest,
  account: Account,
  operation: GraphQLOperation,
  mediaType: ResponseMediaType,
  dependencies: IdempotencyDependencies,
): Promise<IdempotencyClaim | Answered | null> {
  const key = operation.operation.operation === 'mutation' ? readIdempotencyKey(request) : null;
  if (!key) return null;
  const { params } = operation;
  const fingerprint = hash(
    'sha256',
    stringify({ query: params.query, operationName: params.operationName, variables: params.variables ?? {} }) ?? '',
    'base64url',
  );
  const claim = await dependencies.idempotency.claim(account.id, key, fingerprint, dependencies.idempotencyLeaseMilliseconds);
  if (claim.outcome === 'replay') return new Answered(replay(claim.response));
  if (claim.outcome === 'in_flight') return new Answered(errorResponse(new DoitongError('IDEMPOTENCY_KEY_IN_USE'), mediaType));
  if (claim.outcome === 'mismatch') return new Answered(errorResponse(new DoitongError('IDEMPOTENCY_KEY_REUSED'), mediaType));
  if (claim.outcome === 'not_kept') return new Answered(errorResponse(notKeptError(claim.reason, claim.completedAt), mediaType));
  return new IdempotencyClaim(account.id, key, fingerprint, claim.token, dependencies, claim.attempt, claim.resumes === true);
}

/** A request's hold on its Idempotency-Key, renewed while the request runs. */
export class IdempotencyClaim {
  readonly key: string;
  /** Names what the request creates, the same for a retry that carries on after its instance died (see `ClaimOutcome`). */
  readonly attempt: string | undefined;
  /** This claim took over one whose request's instance died: what that request created may exist already. */
  readonly resumes: boolean;
  readonly #scope: string;
  readonly #fingerprint: string;
  readonly #token: string;
  readonly #dependencies: IdempotencyDependencies;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(scope: string, key: string, fingerprint: string, token: string, dependencies: IdempotencyDependencies, attempt?: string, resumes = false) {
    this.key = key;
    this.attempt = attempt;
    this.resumes = resumes;
    this.#scope = scope;
    this.#fingerprint = fingerprint;
    this.#token = token;
    this.#dependencies = dependencies;
    this.#timer = this.#renewWhileRunning();
  }

  /** Gives the key up (the request failed): a retry runs it again. */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    await this.#dependencies.idempotency.release(this.#scope, this.key, this.#token);
  }

  /** Makes the executed request's response the key's answer, or releases the key when it changed nothing. */
  async settle(execution: Execution): Promise<DoitongResponse> {
    clearInterval(this.#timer);
    const { response, body } = execution;
    // Only a request that changed something is the key's answer. One refused before execution,
    // or whose every field failed (for its input, its limits, or retryably: SERVICE_UNAVAILABLE),
    // changed nothing: the claim is released so a retry runs it again.
    if (!execution.effective || typeof response.body !== 'string') {
      await this.#dependencies.idempotency.release(this.#scope, this.key, this.#token);
      return response;
    }
    const notKept = execution.oneTimeSecret ? 'secret' : await this.#overBudget(response.body);
    if (notKept) {
      // Answered as usual, saying that a retry with this key will not get the answer again.
      response.headers['idempotency-response'] = `not-kept; reason=${notKept}`;
      if (body) response.body = JSON.stringify({ ...body, extensions: { idempotency: { code: 'IDEMPOTENCY_RESPONSE_NOT_KEPT', reason: notKept } } });
    }
    const stored: IdempotencyResult = notKept ? { notKept } : { response: { status: response.status, headers: response.headers, body: response.body } };
    await this.#dependencies.idempotency.complete(this.#scope, this.key, this.#token, this.#fingerprint, stored, this.#dependencies.idempotencyTtlMilliseconds);
    return response;
  }

  /** Why a response is too large to keep (on its own, or for the account's budget), or undefined when it fits. */
  async #overBudget(body: string): Promise<NotKeptReason | undefined> {
    const { maxResponseBytes, accountBytes } = this.#dependencies.idempotencyLimits;
    const bytes = Buffer.byteLength(body);
    if (bytes > maxResponseBytes) return 'size';
    const fits = await this.#dependencies.idempotencyBudget.charge(this.#scope, bytes, accountBytes, this.#dependencies.idempotencyTtlMilliseconds);
    return fits ? undefined : 'budget';
  }

  /** Renews the claim every third of its lease until stopped, so only a dead request's claim lapses. */
  #renewWhileRunning(): ReturnType<typeof setInterval> {
    const { idempotency, idempotencyLeaseMilliseconds: leaseMilliseconds, logger } = this.#dependencies;
    const scope = this.#scope;
    const key = this.key;
    const token = this.#token;
    const timer = setInterval(
      () => {
        idempotency.renew(scope, key, token, leaseMilliseconds).then(
          (renewed) => {
            if (!renewed) logger.warn({ key, scope }, 'an idempotency claim lapsed while its request was still running');
          },
          (error: unknown) => logger.warn({ err: error, key, scope }, 'renewing an idempotency claim failed'),
        );
      },
      Math.max(1, Math.floor(leaseMilliseconds / 3)),
    );
    timer.unref?.();
    return timer;
  }
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

function notKeptError(reason: NotKeptReason, completedAt: number): DoitongError {
  const why = {
    size: 'its response was larger than the idempotency store keeps',
    budget: "its response did not fit the account's idempotency storage budget",
    secret: 'its response held a one-time secret',
  }[reason];
  return new DoitongError(
    'IDEMPOTENCY_RESPONSE_NOT_KEPT',
    `The request with this Idempotency-Key ran at ${new Date(completedAt).toISOString()}, but ${why}, so it cannot be replayed; read the result with a query.`,
    {
      details: { reason, completedAt: new Date(completedAt).toISOString() },
    },
  );
}
