// The plan a request is held to: the account's plan, with the account's own limits over it.
import type { Plan } from '../policies/plans';
import type { Account } from './account';

/**
 * The plan of each account. An account's own limits make a plan of their own: made once per
 * account record (records are replaced, never changed, when an account is), so each request reads
 * the same plan object and what is derived from it (the RateLimit-Policy field) is worked out once.
 */
export function accountPlans(plans: Record<string, Plan>): (account: Account) => Plan {
  const ownPlans = new WeakMap<Account, Plan>();
  return (account) => {
    const plan = plans[account.plan] ?? plans.free!;
    if (!account.limits) return plan;
    let own = ownPlans.get(account);
    if (!own) ownPlans.set(account, (own = { ...plan, ...account.limits }));
    return own;
  };
}
