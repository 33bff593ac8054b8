/**
 * What every benchmark server shares: the documents the load generator sends, the fixed
 * Generation the trivial servers return, and the schema they serve it with.
 */
import { createSchema } from 'graphql-yoga';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export const generateDocument = 'mutation Generate($input: GenerateInput!) { generate(input: $input) { id status type provider creditCost estimatedTime } }';
export const generationDocument = 'query Generation($id: ID!) { generation(id: $id) { id status type provider progress creditCost } }';
export const generateVariables = { input: { type: 'IMAGE', input: { text: 'a red fox in the snow' } } };

export const fixedGeneration = {
  id: 'gen_bench000000000000000000',
  status: 'PENDING',
  type: 'IMAGE',
  provider: 'flux-optimized',
  progress: 0,
  creditCost: 1,
  estimatedTime: 2,
};

/** The JSON the raw servers return: what the trivial GraphQL servers answer for `generate`. */
export const fixedResponse = JSON.stringify({
  data: { generate: { id: fixedGeneration.id, status: 'PENDING', type: 'IMAGE', provider: 'flux-optimized', creditCost: 1, estimatedTime: 2 } },
});

/** The trivial servers' schema: the same operation names and argument types as Doitong's, no auth, limits or storage. */
export const trivialTypeDefs = /* GraphQL */ `
  enum GenerationType { VIDEO IMAGE AUDIO AVATAR }
  enum GenerationStatus { PENDING PROCESSING COMPLETED FAILED CANCELLED }
  input GenerationInputData { text: String image: String voice: String audio: String video: String negativePrompt: String }
  input GenerateInput { type: GenerationType! provider: String input: GenerationInputData! priority: String webhookUrl: String }
  type Generation { id: ID! status: GenerationStatus! type: GenerationType! provider: String! progress: Int! creditCost: Int! estimatedTime: Int! }
  type Query { generation(id: ID!): Generation }
  type Mutation { generate(input: GenerateInput!): Generation! }
`;

export const trivialResolvers = {
  Query: { generation: (_: unknown, { id }: { id: string }) => ({ ...fixedGeneration, id }) },
  Mutation: { generate: () => fixedGeneration },
};

/** The trivial schema, executable. */
export function trivialSchema() {
  return createSchema({ typeDefs: trivialTypeDefs, resolvers: trivialResolvers });
}

/** Listens on an ephemeral loopback port and tells the orchestrator where (one JSON line on stdout). */
export function announce(server: Server, extra: Record<string, unknown> = {}): void {
  // An orderly exit, so `--cpu-prof` writes its profile.
  process.once('SIGINT', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ ready: true, port, ...extra })}\n`);
  });
}
