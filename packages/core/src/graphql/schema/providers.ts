// The provider catalog: prices, options, models, traits and strengths.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const providerTypeDefs = /* GraphQL */ `
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
`;
