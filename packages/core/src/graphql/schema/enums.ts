// The enums of generations and of accounts.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const enumTypeDefs = /* GraphQL */ `
enum GenerationType {
  VIDEO
  IMAGE
  AUDIO
  AVATAR
}

enum GenerationStatus {
  "Accepted, waiting to be submitted to the provider."
  PENDING
  "Submitted; the provider is working on it (see \`progress\`)."
  PROCESSING
  COMPLETED
  FAILED
  CANCELLED
}

"What automatic provider selection optimises for."
enum Priority {
  QUALITY
  SPEED
  COST
  BALANCED
}

enum AccountMode {
  "Served by the sandbox backend: no real provider is called and no money is spent."
  TEST
  LIVE
}

enum CreditTransactionType {
  TOP_UP
  RESERVE
  COMMIT
  REFUND
}
`;
