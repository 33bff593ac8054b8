/**
 * What a failed provider call means: for the caller (the error code and message), for billing and
 * fallback (whether the provider provably refused the job, may hold it, or ended it), and, for a
 * status call, whether the job itself has ended.
 */
import { DoitongError, ProviderError } from '../../errors';
import type { ProviderStatus } from '../../providers/provider-status';
import type { GenerationError } from '../generation';

/** What a failed provider call means for the caller and for billing. */
export function classify(error: unknown, providerId: string): GenerationError & { acceptance: 'rejected' | 'unknown' | 'failed' } {
  if (error instanceof ProviderError) {
    return { code: error.code, message: error.message, acceptance: error.acceptance };
  }
  if (error instanceof DoitongError) return { code: error.code, message: error.message, acceptance: 'rejected' };
  return { code: 'PROVIDER_UNAVAILABLE', message: `Provider "${providerId}" could not be reached.`, acceptance: 'unknown' };
}

/**
 * A status call's error that reports the job's end rather than a failure to read it: a
 * ProviderError with `acceptance: 'failed'`. A job that was accepted and then refused its input
 * ends as GENERATION_FAILED (refunded, no fallback); the provider's own fault stays
 * PROVIDER_UNAVAILABLE, which may fall back.
 */
export function definiteFailure(error: unknown): Extract<ProviderStatus, { state: 'failed' }> | undefined {
  if (!(error instanceof ProviderError) || error.acceptance !== 'failed') return undefined;
  const providerCode = error.details.providerCode;
  return {
    state: 'failed',
    code: error.code === 'PROVIDER_UNAVAILABLE' ? 'PROVIDER_UNAVAILABLE' : 'GENERATION_FAILED',
    message: error.message,
    ...(typeof providerCode === 'string' ? { providerCode } : {}),
  };
}
