import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemo, type DemoServer } from '../../express-server/test/demo-server';

let server: DemoServer;
beforeAll(async () => {
  server = await startDemo(fileURLToPath(new URL('..', import.meta.url)));
}, 90_000);
afterAll(async () => server?.stop());

async function graphql(query: string) {
  const response = await fetch(server.endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as any;
}

it('serves the host’s own provider through the whole API', async () => {
  const providers = await graphql('{ providers(type: IMAGE) { id options { name allowedValues } pricing { creditCost } } }');
  expect(providers.data.providers).toEqual([
    { id: 'house-renderer', options: [{ name: 'aspectRatio', allowedValues: ['1:1', '16:9', '9:16'] }], pricing: { creditCost: 1 } },
  ]);
  const created = await graphql(
    'mutation { generate(input: { type: IMAGE, provider: "house-renderer", input: { text: "sunrise" }, options: { aspectRatio: "16:9" } }) { id status } }',
  );
  const id = created.data.generate.id;
  let generation;
  for (let attempt = 0; attempt < 100; attempt++) {
    generation = (await graphql(`{ generation(id: "${id}") { status url metadata { width height format } } }`)).data.generation;
    if (generation.status === 'COMPLETED') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(generation).toMatchObject({ status: 'COMPLETED', metadata: { width: 640, height: 360, format: 'png' } });
  const file = await fetch(generation.url);
  expect(file.headers.get('content-type')).toBe('image/png');
  expect(
    Buffer.from(await file.arrayBuffer())
      .subarray(1, 4)
      .toString('latin1'),
  ).toBe('PNG');
});
