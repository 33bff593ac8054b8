// Generations: what a caller asks for (the inputs) and what it gets back, with the routing decision and the pages.
// One part of the public schema, which graphql/type-defs.ts puts together.
export const generationTypeDefs = /* GraphQL */ `
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
`;
