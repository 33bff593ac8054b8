/**
 * The engine's defaults for what a host or a provider may leave unset. Several steps read each
 * one (the engine holds a slot for a job's longest run, the worker gives the job up after it, the
 * reconciler looks for jobs past it), so each is written once here.
 */
/** How long a provider's job may run when the provider does not say (`maxJobTime`), in seconds. */
export const defaultMaxJobTimeSeconds = 900;

/** The longest a job of this provider may run, in seconds. */
export function maxJobTimeSeconds(provider: { maxJobTime?: number } | undefined): number {
  return provider?.maxJobTime ?? defaultMaxJobTimeSeconds;
}

/**
 * A job is given up as PROVIDER_UNAVAILABLE only when its status calls have failed without a
 * break for this long (and at least `minimumStatusErrors` times): on a busy host or a slow
 * network a few failed calls in a row mean a late job, not a failed one.
 */
export const defaultStatusFailureMilliseconds = 300_000;
export const minimumStatusErrors = 5;

/** How long one provider call may take before the engine aborts it. */
export const defaultCallTimeoutMilliseconds = 60_000;
