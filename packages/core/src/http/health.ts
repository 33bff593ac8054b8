/** A service an instance depends on (Redis, PostgreSQL…): named, checkable, closable. */
export interface Resource {
  name: string;
  /** Resolves when the service answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
  close?(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; milliseconds: number }>;
}

const checkTimeoutMilliseconds = 2_000;

/**
 * Readiness for load balancers: every resource answers within two seconds. Liveness
 * (`/health`) only says the process serves requests, so a store outage takes an instance out
 * of rotation without getting it restarted.
 */
export async function checkReadiness(resources: readonly Resource[]): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  await Promise.all(
    resources.map(async (resource) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          resource.check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMilliseconds} ms`)), checkTimeoutMilliseconds);
          }),
        ]);
        checks[resource.name] = { ok: true, milliseconds: Math.round(performance.now() - started) };
      } catch (error) {
        checks[resource.name] = {
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          milliseconds: Math.round(performance.now() - started),
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}
