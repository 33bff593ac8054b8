// Webhook endpoints, their secrets, and deliveries with their attempts.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const webhookTypeDefs = /* GraphQL */ `
"Why a webhook endpoint no longer receives events."
enum WebhookEndpointDisabledReason {
  "Disabled through the API."
  DISABLED_BY_USER
  "Its receiver answered 410 Gone."
  GONE
}

"""
An account-level receiver of signed webhooks (Standard Webhooks: \`webhook-id\`,
\`webhook-timestamp\`, \`webhook-signature\`). Its secret is shown only at creation and rotation.
"""
type WebhookEndpoint {
  id: ID!
  url: String!
  "Event types it receives: generation.completed, generation.failed, generation.cancelled, generation.progress."
  events: [String!]!
  description: String
  enabled: Boolean!
  disabledReason: WebhookEndpointDisabledReason
  "While a rotated-out secret still signs beside the current one: when it stops (ISO 8601)."
  previousSecretExpiresAt: String
  createdAt: String!
  updatedAt: String!
}

"An endpoint and its signing secret, returned only by creation and rotation."
type WebhookEndpointSecret {
  endpoint: WebhookEndpoint!
  "A \`whsec_…\` secret for the Standard Webhooks libraries or \`verifyWebhook\`. It is not shown again."
  secret: String!
}

"""
The account's secret for its generations' own \`webhookUrl\`: deliveries there are signed with it
(Standard Webhooks), and no other account knows it. Rotatable like an endpoint's secret.
"""
type WebhookSigningSecret {
  "A \`whsec_…\` secret for the Standard Webhooks libraries or \`verifyWebhook\`."
  secret: String!
  "While a rotated-out secret still signs beside the current one: when it stops (ISO 8601)."
  previousSecretExpiresAt: String
}

enum WebhookDeliveryStatus {
  "Waiting for its first attempt or for a retry (see \`nextAttemptAt\`)."
  PENDING
  "The receiver answered 2xx."
  SUCCEEDED
  "Given up: the retries ran out, the receiver answered 410 Gone, or its endpoint was disabled or deleted."
  FAILED
}

enum WebhookAttemptStatus {
  SUCCEEDED
  FAILED
}

type WebhookDeliveryAttempt {
  "1 for the first attempt; counting goes on across redeliveries."
  number: Int!
  "ISO 8601."
  at: String!
  status: WebhookAttemptStatus!
  "The receiver's HTTP status; null when there was no answer (timeout, refused address, connection error)."
  responseStatus: Int
  error: String
  "How long the attempt took, in milliseconds."
  durationMilliseconds: Int!
  durationMs: Int! @deprecated(reason: "Use durationMilliseconds.")
  url: String!
}

"One event sent to one receiver, with its attempts."
type WebhookDelivery {
  id: ID!
  "The \`webhook-id\` header: the same on every attempt, for receivers to deduplicate on."
  webhookId: String!
  "The event type, such as generation.completed."
  event: String!
  generationId: ID!
  "The account endpoint; null for the generation's own webhookUrl."
  endpointId: ID
  url: String!
  status: WebhookDeliveryStatus!
  attempts: [WebhookDeliveryAttempt!]!
  "When the next attempt is due while PENDING (ISO 8601)."
  nextAttemptAt: String
  lastError: String
  "The body as sent: { type, timestamp, data: { generation } }."
  payload: JSON
  createdAt: String!
  updatedAt: String!
  completedAt: String
}

type WebhookDeliveryEdge {
  cursor: String!
  node: WebhookDelivery!
}

type WebhookDeliveryConnection {
  edges: [WebhookDeliveryEdge!]!
  nodes: [WebhookDelivery!]!
  pageInfo: PageInfo!
}
`;
