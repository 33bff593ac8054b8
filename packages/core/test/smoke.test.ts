import { describe, expect, it } from 'vitest';
import { eventually, fakeProvider, post, testDoitong } from './support';

describe('smoke', () => {
  it('generates and completes', async () => {
    const { adapter } = fakeProvider({ pollsToFinish: 2 });
    const doitong = testDoitong({ providers: [adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, {
      query: 'mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id status provider creditCost metadata error } }',
    });
    expect(created.status).toBe(200);
    expect(created.body.data.generate.status).toBe('PENDING');
    const id = created.body.data.generate.id;
    const done = await eventually(
      () => post(doitong, apiKey, { query: `{ generation(id: "${id}") { status progress url metadata { width format } creditCost error errorCode } }` }),
      (response) => response.body.data.generation.status === 'COMPLETED',
    );
    expect(done.body.data.generation.url).toMatch(/^http:\/\/localhost\/graphql\/assets\//);
    expect(done.headers['x-ratelimit-limit']).toBe('1200');
    await doitong.close();
  });
});
