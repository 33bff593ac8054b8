import type { PlanLimits } from '../policies/plans';
import type { AccountMode } from './api-keys';

export interface Account {
  id: string;
  name: string | null;
  /** The id of a plan: `free`, `starter`, `pro`, `enterprise` or one the host defined. */
  plan: string;
  /** `test` accounts are served by the sandbox; `live` ones by real providers. */
  mode: AccountMode;
  /** Per-account overrides of the plan's limits. */
  limits: Partial<PlanLimits> | null;
  createdAt: string;
}
