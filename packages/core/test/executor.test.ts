import { describe, expect, it } from 'vitest';
import { fakeProvider, post, testDoitong } from './support';

/**
 * Compiled execution (graphql-jit, from a document's second use) must answer exactly as
 * graphql-js does: data, errors with their codes and paths, variable coercion failures, nulls.
 */
describe('compiled execution', () => {
  const requests = (generationId: string) => [
    { query: '{ generation(id: $id) { id } }' },
    {
      query: 'query ($id: ID!) { generation(id: $id) { id status type provider progress creditCost metadata error url errorCode } }',
      variables: { id: generationId },
    },
    { query: 'query ($id: ID!) { generation(id: $id) { id } }', variables: { id: 'gen_missing' } },
    { query: 'query ($id: ID!) { generation(id: $id) { id } }', variables: { id: 42 } },
    { query: 'query ($id: ID!) { generation(id: $id) { id } }', variables: {} },
    {
      query: 'query Both($id: ID!) { a: generation(id: $id) { id } b: generation(id: "gen_missing") { id } }',
      variables: { id: generationId },
      operationName: 'Both',
    },
    { query: '{ generations(first: 2) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }' },
    { query: '{ generations(first: 0) { nodes { id } } }' },
    { query: '{ providers(type: IMAGE) { id pricing { creditCost estimatedTime } options { name required allowedValues default } available } }' },
    { query: '{ me { id plan { name generationsPerMinute } credits mode } livemode }' },
    {
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { status type provider creditCost } }',
      variables: { input: { type: 'IMAGE', provider: 'nope', input: { text: 'x' } } },
    },
    { query: 'mutation ($input: GenerateInput!) { generate(input: $input) { status } }', variables: { input: { type: 'SMELL', input: { text: 'x' } } } },
    { query: 'mutation { cancelGeneration(id: "gen_missing") }' },
  ];

  async function answers(compiledExecution: boolean) {
    const { adapter } = fakeProvider({ pollsToFinish: 1000 });
    const doitong = testDoitong({ providers: [adapter], compiledExecution });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000, apiKey: 'dk_test_executorparity000000000' });
    const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }' });
    const id = created.body.data.generate.id as string;
    const results: unknown[] = [];
    // Three rounds: the first runs on graphql-js, the next ones on the compiled form when it is on.
    for (let round = 0; round < 3; round++) {
      for (const request of requests(id)) {
        const response = await post(doitong, apiKey, request);
        results.push({
          status: response.status,
          body: JSON.parse(
            JSON.stringify(response.body)
              .replaceAll(id, 'GEN')
              .replace(/acct_\w+/g, 'ACCT'),
          ),
        });
      }
    }
    await doitong.close();
    return results;
  }

  it('gives the same answers as graphql-js, errors included', async () => {
    const interpreted = await answers(false);
    const compiled = await answers(true);
    expect(compiled).toEqual(interpreted);
    // The comparison covers real outcomes: data, a NOT_FOUND, a bad variable and a refused input.
    expect(JSON.stringify(interpreted)).toContain('"NOT_FOUND"');
    expect(JSON.stringify(interpreted)).toContain('"BAD_USER_INPUT"');
    expect(JSON.stringify(interpreted)).toContain('"INVALID_INPUT"');
  });
});
