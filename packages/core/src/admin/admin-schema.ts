import type { GraphQLSchema } from 'graphql';
import { executableSchema } from '../graphql/executable-schema';
import { JsonScalar } from '../graphql/json-scalar';
import type { Accounts } from '../accounts/accounts';
import type { Account } from '../accounts/account';
import type { AccountMode } from '../accounts/api-keys';
import type { JobQueue } from '../engine/queue';
import { DoitongError } from '../errors';
import type { CreditLedger } from '../policies/ledger';
import type { Plan } from '../policies/plans';
import type { ProviderHealth } from '../providers/health';
import type { ProviderRegistry } from '../providers/registry';
import { healthKey } from '../providers/health-view';
import type { Activity } from './activity';

/** What the operators' schema reads and changes; built once per `createDoitong`. */
export interface AdminServices {
  accounts: Accounts;
  ledger: CreditLedger;
  plans: Record<string, Plan>;
  planFor(account: Account): Plan;
  registry: ProviderRegistry;
  health: ProviderHealth;
  queue: JobQueue;
  activity: Activity;
}

/**
 * The operators' schema, served at `<mount>/admin` to the admin credential only. Separate from the
 * public schema, so no account's key can reach it and its introspection shows the public nothing.
 */
export const adminTypeDefs = /* GraphQL */ `
"Any JSON value."
scalar JSON

enum AccountMode {
  TEST
  LIVE
}

enum CircuitState {
  "Traffic flows."
  CLOSED
  "Too many consecutive provider failures: automatic selection skips the provider until the cool-down ends."
  OPEN
  "The cool-down has ended: the next generation is a probe whose outcome closes or reopens the circuit."
  HALF_OPEN
}

type Plan {
  id: String!
  name: String!
  generationsPerMinute: Int!
  generationsPerDay: Int
  concurrent: Int!
  readsPerMinute: Int!
}

type CreditTransaction {
  id: ID!
  type: String!
  amount: Int!
  balanceAfter: Int!
  generationId: String
  note: String
  createdAt: String!
}

type PageInfo {
  hasNextPage: Boolean!
  endCursor: String
}

type CreditTransactionConnection {
  nodes: [CreditTransaction!]!
  pageInfo: PageInfo!
}

type Account {
  id: ID!
  name: String
  mode: AccountMode!
  "The plan's id."
  planId: String!
  "The plan with the account's own limits applied."
  plan: Plan!
  "The account's own overrides of its plan's limits, if any."
  limits: JSON
  credits: Int!
  createdAt: String!
  "The account's credit ledger, newest first."
  transactions(first: Int = 20, after: String): CreditTransactionConnection!
}

type AccountConnection {
  nodes: [Account!]!
  pageInfo: PageInfo!
}

type CreatedAccount {
  account: Account!
  "The account's API key: shown only here."
  apiKey: String!
}

"""
A provider's transport as this instance sees it: what it serves and what the engine has measured.
A provider with a live transport and a sandbox twin has a row for each, as each has its own health.
"""
type ProviderStatus {
  id: ID!
  name: String!
  types: [String!]!
  "True for the live transport (live-mode accounts), false for the sandbox twin (test-mode accounts)."
  livemode: Boolean!
  "False when the transport cannot be used now, with the reason (for example, no credentials)."
  available: Boolean!
  unavailableReason: String
  circuit: CircuitState!
  "Moving average of successes over provider outcomes, 0 to 1; null before the first outcome."
  successRate: Float
  "Moving average of seconds from submission to completion."
  latencySeconds: Float
  "Moving average of measured latency over the provider's own estimate."
  latencyRatio: Float
  "Outcomes measured on this instance."
  samples: Int!
  consecutiveFailures: Int!
}

type QueueDepth {
  "Due, waiting for a free worker."
  waiting: Int!
  "Running now."
  active: Int!
  "Waiting for their delay (the next poll, a webhook retry)."
  delayed: Int!
}

"Generations this instance created and ended over the last \`minutes\`."
type ActivityRate {
  minutes: Int!
  created: Int!
  completed: Int!
  failed: Int!
  cancelled: Int!
}

type QueueStatus {
  "Jobs by state, across every instance sharing the queue; null when the queue cannot count."
  depth: QueueDepth
  "This instance's generations over the last minute and the last hour."
  rates: [ActivityRate!]!
}

input CreateAccountInput {
  name: String
  "A plan id; free when left out."
  plan: String
  credits: Int
  "TEST (the default) is served by the sandbox."
  mode: AccountMode
}

type Query {
  "Accounts, newest first."
  accounts(first: Int = 50, after: String): AccountConnection!
  account(id: ID!): Account
  plans: [Plan!]!
  providers: [ProviderStatus!]!
  queue: QueueStatus!
}

type Mutation {
  "Adds credits to an account (a TOP_UP entry in its ledger) and returns the entry."
  topUpCredits(accountId: ID!, amount: Int!, note: String): CreditTransaction!
  createAccount(input: CreateAccountInput!): CreatedAccount!
}
`;

const maxPageSize = 100;

function pageSize(first: number | null | undefined, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize)
    throw new DoitongError('INVALID_INPUT', `first must be between 1 and ${maxPageSize}`, { details: { option: 'first', minimum: 1, maximum: maxPageSize } });
  return first;
}

const circuitNames = { closed: 'CLOSED', open: 'OPEN', 'half-open': 'HALF_OPEN' } as const;

export function adminSchema(services: AdminServices): GraphQLSchema {
  const account = (record: Account & { credits: number }) => ({
    ...record,
    mode: record.mode.toUpperCase(),
    planId: record.plan,
    plan: services.planFor(record),
  });
  return executableSchema(adminTypeDefs, [
    {
      JSON: JsonScalar,
      Query: {
        accounts: async (_: unknown, args: { first?: number | null; after?: string | null }) => {
          const page = await services.accounts.list({ first: pageSize(args.first, 50), after: args.after ?? null });
          return { nodes: page.items.map(account), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
        },
        account: async (_: unknown, args: { id: string }) => {
          const record = await services.accounts.get(args.id);
          return record ? account(record) : null;
        },
        plans: () => Object.values(services.plans),
        providers: () => providerStatuses(services),
        queue: async () => ({
          depth: services.queue.counts ? await services.queue.counts() : null,
          rates: [services.activity.rate(1), services.activity.rate(60)],
        }),
      },
      Account: {
        transactions: async (parent: { id: string }, args: { first?: number | null; after?: string | null }) => {
          const page = await services.ledger.transactions(parent.id, { first: pageSize(args.first, 20), after: args.after ?? null });
          return { nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
        },
      },
      Mutation: {
        topUpCredits: (_: unknown, args: { accountId: string; amount: number; note?: string | null }) =>
          services.accounts.addCredits(args.accountId, args.amount, args.note ?? 'top-up by an operator'),
        createAccount: async (
          _: unknown,
          args: { input: { name?: string | null; plan?: string | null; credits?: number | null; mode?: 'TEST' | 'LIVE' | null } },
        ) => {
          const { name, plan, credits, mode } = args.input;
          if (credits != null && (!Number.isSafeInteger(credits) || credits < 0))
            throw new DoitongError('INVALID_INPUT', 'credits must be a whole number of credits, 0 or more.', { details: { option: 'credits' } });
          const created = await services.accounts.create({
            ...(name ? { name } : {}),
            ...(plan ? { plan } : {}),
            ...(credits ? { credits } : {}),
            ...(mode ? { mode: mode.toLowerCase() as AccountMode } : {}),
          });
          return { account: account(created.account), apiKey: created.apiKey };
        },
      },
    },
  ]);
}

function providerStatuses(services: AdminServices) {
  // Live transports first, then the sandbox twins: each has its own health, so simulated failures
  // of test-mode keys never open a live provider's circuit.
  const live = services.registry.list('live').filter((adapter) => adapter.livemode);
  const sandbox = services.registry.list('test');
  return [...live, ...sandbox].map((adapter) => {
    const report = services.health.report(healthKey(adapter));
    const unavailableReason = adapter.unavailableReason?.() || null;
    return {
      id: adapter.id,
      name: adapter.name,
      types: adapter.types,
      livemode: adapter.livemode,
      available: !unavailableReason,
      unavailableReason,
      circuit: circuitNames[report.circuit],
      successRate: report.samples > 0 ? report.successRate : null,
      latencySeconds: report.latencySeconds,
      latencyRatio: report.latencyRatio,
      samples: report.samples,
      consecutiveFailures: report.consecutiveFailures,
    };
  });
}
