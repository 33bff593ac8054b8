/** The GraphQL documents the client sends: plain strings, so no GraphQL library is needed. */

const generationFields = `id type status provider model url progress creditCost estimatedTime
  metadata { width height duration format resolution aspectRatio fps sampleRate channels fileSize contentType model seed codec hasAudio }
  error { code message } errorCode livemode createdAt completedAt`;

export const generateDocument = `mutation Generate($input: GenerateInput!) { generate(input: $input) { ${generationFields} } }`;
export const generationDocument = `query Generation($id: ID!) { generation(id: $id) { ${generationFields} } }`;
export const cancelDocument = `mutation CancelGeneration($id: ID!) { cancelGeneration(id: $id) }`;
export const providersDocument = `query Providers($type: GenerationType!) { providers(type: $type) {
  id name description types models { id name description } features limitations pricing { creditCost estimatedTime }
  options { name type required description allowedValues default minimum maximum } traits { quality speed cost } available livemode } }`;
export const updatesDocument = `subscription GenerationUpdated($id: ID!) { generationUpdated(id: $id) { ${generationFields} } }`;
