/** The limits of one plan. `null` means no limit of that kind. */
export interface PlanLimits {
  /** Generations started per minute. */
  generationsPerMinute: number;
  /** Generations started per UTC day; `null` for no daily cap. */
  generationsPerDay: number | null;
  /** Generations in flight (PENDING or PROCESSING) at once. */
  concurrent: number;
  /** Read requests (status, lists, providers) per minute: generous, so polling never eats the generation quota. */
  readsPerMinute: number;
}

export interface Plan extends PlanLimits {
  id: string;
  name: string;
}

/** The product page's table: Free 10/min, 1 concurrent, 100/day; Starter 30, 3, 1,000; Pro 60, 10, 10,000. */
export const defaultPlans: Readonly<Record<string, Plan>> = {
  free: { id: 'free', name: 'Free', generationsPerMinute: 10, concurrent: 1, generationsPerDay: 100, readsPerMinute: 300 },
  starter: { id: 'starter', name: 'Starter', generationsPerMinute: 30, concurrent: 3, generationsPerDay: 1_000, readsPerMinute: 600 },
  pro: { id: 'pro', name: 'Pro', generationsPerMinute: 60, concurrent: 10, generationsPerDay: 10_000, readsPerMinute: 1_200 },
  // "Custom" on the product page: a host sets its own numbers through `plans` or per-account limits.
  enterprise: { id: 'enterprise', name: 'Enterprise', generationsPerMinute: 600, concurrent: 100, generationsPerDay: null, readsPerMinute: 6_000 },
};

export function resolvePlans(custom: Record<string, Partial<Plan>> | undefined): Record<string, Plan> {
  const plans: Record<string, Plan> = { ...defaultPlans };
  for (const [id, plan] of Object.entries(custom ?? {})) {
    const base = plans[id] ?? defaultPlans.free!;
    plans[id] = { ...base, ...plan, id, name: plan.name ?? base.name ?? id };
  }
  return plans;
}
