/**
 * The operations GraphiQL opens with: the product page's own samples (its generate examples, status,
 * cancel and providers queries), with explicit selections so the editor shows no warnings, plus the
 * live-updates subscription. Each is a tab.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}

/** The product page's Generate mutation, named for its example so each tab has its own title. */
const generate = (title: string, name: string) => `# ${title}
# The product page's Generate mutation: every content type, the variables pick the example.
# Run it (▶): the panel on the right follows the generation live and shows the file when it is ready.
mutation ${name}($input: GenerateInput!) {
  generate(input: $input) {
    id
    status
    type
    provider
    url
    creditCost
    estimatedTime
    progress
    metadata { width height duration format }
    error { code message }
  }
}`;

const variables = (input: Record<string, unknown>) => JSON.stringify({ input }, null, 2);

export const exampleTabs: ExampleTab[] = [
  {
    query: generate('Generate an image (flux-ultra).', 'GenerateImage'),
    variables: variables({
      type: 'IMAGE',
      provider: 'flux-ultra',
      input: { text: 'Photorealistic portrait in Rembrandt style' },
      options: { aspectRatio: '16:9', quality: 'ultra', seed: 42 },
    }),
  },
  {
    query: generate('Generate a video; the provider is chosen automatically.', 'GenerateVideo'),
    variables: variables({
      type: 'VIDEO',
      input: { text: 'A bustling Tokyo street at night with neon lights' },
      options: { duration: 10, resolution: '1080p', style: 'cinematic' },
    }),
  },
  {
    query: generate('Generate a video with a chosen provider (Kling).', 'GenerateVideoWithKling'),
    variables: variables({
      type: 'VIDEO',
      provider: 'kling',
      input: { text: 'Epic space battle scene' },
      options: { mode: 'pro', duration: 10, aspectRatio: '16:9' },
    }),
  },
  {
    query: generate('Image to video (Runway): put the url of an image you generated in input.image.', 'ImageToVideo'),
    variables: variables({
      type: 'VIDEO',
      provider: 'runway',
      input: { text: 'Make the character dance', image: 'https://example.com/character.jpg' },
      options: { motionIntensity: 'high', model: 'gen-3' },
    }),
  },
  {
    query: generate('Text to speech (ElevenLabs).', 'TextToSpeech'),
    variables: variables({
      type: 'AUDIO',
      provider: 'elevenlabs',
      input: { text: 'Welcome to the future of artificial intelligence' },
      options: { voice: 'rachel', emotion: 'excited', speed: 1.0 },
    }),
  },
  {
    query: generate('A talking avatar (HeyGen).', 'TalkingAvatar'),
    variables: variables({
      type: 'AVATAR',
      provider: 'heygen',
      input: { text: "Hello, I'm your AI assistant", voice: 'professional_female' },
      options: { avatarId: 'kate', background: 'modern_office', gesture: 'friendly' },
    }),
  },
  {
    query: `# Live updates: PENDING, PROCESSING with progress, then COMPLETED, streamed over Server-Sent Events.
subscription Follow($id: ID!) {
  generationUpdated(id: $id) {
    id
    status
    progress
    url
    metadata { width height duration format }
    error { code message }
  }
}`,
    variables: JSON.stringify({ id: 'gen_…' }, null, 2),
  },
  {
    query: `query GetGeneration($id: ID!) {
  generation(id: $id) {
    id
    status
    type
    provider
    url
    progress
    metadata { width height duration format }
    creditCost
    error { code message }
    errorCode
    createdAt
    completedAt
  }
}`,
    variables: JSON.stringify({ id: 'gen_…' }, null, 2),
  },
  {
    query: `mutation CancelGeneration($id: ID!) {
  cancelGeneration(id: $id)
}`,
    variables: JSON.stringify({ id: 'gen_…' }, null, 2),
  },
  {
    query: `query GetProviders($type: GenerationType!) {
  providers(type: $type) {
    id
    name
    description
    features
    limitations
    pricing { creditCost estimatedTime }
    options { name type required description allowedValues }
  }
}`,
    variables: JSON.stringify({ type: 'VIDEO' }, null, 2),
  },
  {
    query: `query Me {
  me { id name mode credits plan { name generationsPerMinute concurrent } }
}`,
  },
];
