import { DoitongError } from '@doitong/core';

/**
 * Turns a store failure into SERVICE_UNAVAILABLE (HTTP 503, retryable), so an outage answers
 * fast with a code instead of hanging or surfacing as an unexpected 500.
 */
export async function unavailableOnFailure<Result>(service: string, work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DoitongError) throw error;
    throw new DoitongError('SERVICE_UNAVAILABLE', `${service} is unavailable; retry shortly.`, { cause: error });
  }
}
