// The root operations: queries, mutations and the live-updates subscription.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const operationTypeDefs = /* GraphQL */ `
type Query {
  "The caller's generation; another account's id is NOT_FOUND."
  generation(id: ID!): Generation
  "The caller's generations, newest first."
  generations(first: Int = 20, after: String, status: GenerationStatus, type: GenerationType): GenerationConnection!
  "Providers that serve a type, with their options and prices."
  providers(type: GenerationType!): [Provider!]!
  "The calling account."
  me: Account!
  "The caller's credit ledger, newest first."
  creditTransactions(first: Int = 20, after: String): CreditTransactionConnection!
  "The caller's webhook endpoints, oldest first."
  webhookEndpoints: [WebhookEndpoint!]!
  webhookEndpoint(id: ID!): WebhookEndpoint
  "The caller's webhook deliveries with their attempts, newest first; filter by generation or endpoint."
  webhookDeliveries(first: Int = 20, after: String, generationId: ID, endpointId: ID): WebhookDeliveryConnection!
  webhookDelivery(id: ID!): WebhookDelivery
  "The secret that signs deliveries to your generations' own \`webhookUrl\` (made on first use)."
  webhookSigningSecret: WebhookSigningSecret!
}

type Mutation {
  "Starts a generation and returns at once with status PENDING."
  generate(input: GenerateInput!): Generation
  "Cancels a generation; false when it had already ended."
  cancelGeneration(id: ID!): Boolean!
  "Starts a text-to-video generation (the Apollo Client sample's shape)."
  videoCreate(input: VideoCreateInput!): Generation
  "Adds a webhook endpoint; \`events\` defaults to the three terminal events. The secret is shown only here."
  createWebhookEndpoint(url: String!, events: [String!], description: String): WebhookEndpointSecret
  "Changes an endpoint; \`enabled: true\` turns a disabled one back on."
  updateWebhookEndpoint(id: ID!, url: String, events: [String!], description: String, enabled: Boolean): WebhookEndpoint
  disableWebhookEndpoint(id: ID!): WebhookEndpoint
  "Deletes an endpoint; its deliveries stay readable, pending ones are not attempted again."
  deleteWebhookEndpoint(id: ID!): Boolean!
  "A new secret; the old one keeps signing beside it for \`overlapSeconds\` (default a day, at most a week)."
  rotateWebhookEndpointSecret(id: ID!, overlapSeconds: Int = 86400): WebhookEndpointSecret
  "Sends a delivery again now, with the same webhook-id and body, and the retry schedule ahead of it."
  redeliverWebhook(deliveryId: ID!): WebhookDelivery
  "A new secret for your generations' own \`webhookUrl\`; the old one keeps signing beside it for \`overlapSeconds\` (default a day, at most a week)."
  rotateWebhookSigningSecret(overlapSeconds: Int = 86400): WebhookSigningSecret!
}

"Live updates over Server-Sent Events (the GraphQL over SSE protocol): send the subscription with \`Accept: text/event-stream\`."
type Subscription {
  "The generation now, then each change (PENDING, PROCESSING with progress, the final state); the stream ends after a final state."
  generationUpdated(id: ID!): Generation!
}
`;
