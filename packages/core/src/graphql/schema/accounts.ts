// Plans, accounts and their credit transactions.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const accountTypeDefs = /* GraphQL */ `
type Plan {
  id: String!
  name: String!
  generationsPerMinute: Int!
  generationsPerDay: Int
  concurrent: Int!
  readsPerMinute: Int!
}

type Account {
  id: ID!
  name: String
  mode: AccountMode!
  plan: Plan!
  "Available credits (reserved credits are already deducted)."
  credits: Int!
  createdAt: String!
}

type CreditTransaction {
  id: ID!
  type: CreditTransactionType!
  "Change to the available balance."
  amount: Int!
  balanceAfter: Int!
  generationId: String
  note: String
  createdAt: String!
}

type CreditTransactionEdge {
  cursor: String!
  node: CreditTransaction!
}

type CreditTransactionConnection {
  edges: [CreditTransactionEdge!]!
  nodes: [CreditTransaction!]!
  pageInfo: PageInfo!
}
`;
