/**
 * The whole public schema, in SDL. `providers(type)` and the option specs are generated from
 * provider descriptions at run time; everything else a client can ask for is written here.
 */
export const typeDefs = /* GraphQL */ `
"""
Doitong: one API for AI video, image, audio and avatar generation across many providers.
Every error carries \`extensions.code\` (INSUFFICIENT_CREDITS, RATE_LIMIT, INVALID_INPUT,
PROVIDER_UNAVAILABLE, GENERATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …) and
\`extensions.retryable\`.
"""
schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}

"Any JSON value."
scalar JSON

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

input GenerationInputData {
  "The prompt, or the script to speak for AUDIO and AVATAR."
  text: String
  "An image URL to animate or to condition on."
  image: String
  "A voice name or id, for AUDIO and AVATAR."
  voice: String
  "An audio URL to lip-sync to, for AVATAR."
  audio: String
  "A reference video URL, for motion transfer and lip-sync."
  video: String
  negativePrompt: String
}

input GenerateInput {
  type: GenerationType!
  "A provider id from \`providers(type:)\`; leave it out to let Doitong choose by \`priority\`."
  provider: String
  input: GenerationInputData!
  "Provider options, validated against the provider's \`options\` (see \`providers(type:)\`)."
  options: JSON
  "What automatic selection optimises for; BALANCED when left out."
  priority: Priority
  "Receives signed notifications when the generation ends."
  webhookUrl: String
  """
  Providers that may take over, in order, when \`provider\` refused the job before accepting it or
  failed by its own fault (never after an unknown outcome). Each is priced for itself. Without
  \`provider\`, Doitong falls back to the other eligible providers by score unless this list is given.
  """
  fallback: [String!]
}

"The Apollo Client sample's shortcut for a text-to-video generation."
input VideoCreateInput {
  prompt: String!
  "A VIDEO provider id (for example \`luma\`, \`kling\`); chosen automatically when left out."
  model: String
  "Seconds."
  duration: Int
  aspectRatio: String
  resolution: String
  webhookUrl: String
}

type GenerationMetadata {
  width: Int
  height: Int
  "Seconds."
  duration: Float
  "File format: png, jpeg, wav, mp3, mp4."
  format: String
  resolution: String
  aspectRatio: String
  fps: Float
  sampleRate: Int
  channels: Int
  "Bytes."
  fileSize: Int
  contentType: String
  model: String
  seed: Int
  codec: String
  hasAudio: Boolean
}

type GenerationError {
  code: String!
  message: String!
}

type ProviderAttempt {
  provider: String!
  "Credits this attempt was priced at."
  creditCost: Int
  startedAt: String!
  endedAt: String
  outcome: String
  errorCode: String
  message: String
}

type RoutingCandidate {
  provider: String!
  score: Float
  eligible: Boolean!
  reason: String
  "How well its strengths meet the needs read in the request, 0 to 1 (null when none were found)."
  fit: Float
}

"A need automatic selection read in the request, and the words (or inputs) that showed it."
type RoutingNeed {
  "dance, several-people, product, text-in-image, talking-head, portrait, camera-motion, illustration, photorealism, long-clip, short-clip, high-resolution, sound, image-editing or expressive-voice."
  intent: String!
  evidence: [String!]!
}

type RoutingDecision {
  provider: String!
  reason: String!
  priority: Priority
  candidates: [RoutingCandidate!]!
  "What the request needs, as read from it (empty when the caller named the provider or nothing particular was found)."
  needs: [RoutingNeed!]!
  "The choice in words: the needs found, why the winner fits them, why the runner-up lost."
  explanation: String
  "Who read the request: built-in, hook, or built-in with why the host's hook was not used."
  analyser: String
}

type Generation {
  id: ID!
  type: GenerationType!
  status: GenerationStatus!
  provider: String!
  model: String
  "Where the output can be downloaded once COMPLETED (a signed link that expires)."
  url: String
  "Alias of \`url\` for the videoCreate shortcut."
  videoUrl: String
  metadata: GenerationMetadata
  "0 to 100."
  progress: Int!
  "Credits reserved for this generation, settled when it ends."
  creditCost: Int!
  "Expected seconds from submission to completion."
  estimatedTime: Int!
  error: GenerationError
  errorCode: String
  "False for test-mode generations, served by the sandbox."
  livemode: Boolean!
  input: JSON!
  options: JSON!
  priority: Priority
  webhookUrl: String
  routing: RoutingDecision
  attempts: [ProviderAttempt!]!
  "ISO 8601."
  createdAt: String!
  updatedAt: String!
  startedAt: String
  completedAt: String
}

type GenerationEdge {
  cursor: String!
  node: Generation!
}

type PageInfo {
  hasNextPage: Boolean!
  endCursor: String
}

type GenerationConnection {
  edges: [GenerationEdge!]!
  nodes: [Generation!]!
  pageInfo: PageInfo!
}

type Pricing {
  "Credits for a request with the provider's default options."
  creditCost: Int!
  "Seconds, typical."
  estimatedTime: Int!
}

type ProviderOption {
  name: String!
  type: String!
  required: Boolean!
  description: String!
  allowedValues: [JSON!]
  default: JSON
  minimum: Float
  maximum: Float
}

type ProviderModel {
  id: String!
  name: String!
  description: String
}

type ProviderTraits {
  quality: Int!
  speed: Int!
  cost: Int!
}

type ProviderStrength {
  "An intent automatic selection reads in requests (see RoutingNeed.intent)."
  intent: String!
  "1 serves it, 2 is good at it, 3 is made for it."
  level: Int!
}

type ProviderStrengths {
  intents: [ProviderStrength!]!
  "Languages (ISO 639-1) its voices speak; a request in another is not sent to it."
  voiceLanguages: [String!]
  "Languages it renders legibly as text in pictures."
  textLanguages: [String!]
  "Longest clip it renders (seconds)."
  maxSeconds: Int
  "Largest short side it renders (pixels)."
  maxResolution: Int
}

type Cancellation {
  "Whether a cancel after the provider accepted the job is refunded."
  refundAfterAcceptance: Boolean!
  note: String!
}

type Provider {
  id: ID!
  name: String!
  description: String!
  types: [GenerationType!]!
  models: [ProviderModel!]!
  features: [String!]!
  limitations: [String!]!
  pricing: Pricing!
  options: [ProviderOption!]!
  traits: ProviderTraits!
  "What it is good at and the limits it cannot pass, matched against the needs read in each request."
  strengths: ProviderStrengths
  "What a cancel costs once the provider accepted the job (before acceptance it is always refunded)."
  cancellation: Cancellation
  "Longest a job may run before it is ended as GENERATION_FAILED and refunded (seconds)."
  maxJobTime: Int
  "False when the provider cannot be used now (for example, no credentials)."
  available: Boolean!
  livemode: Boolean!
}

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
