import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, type Doitong } from '@doitong/core';
import { signWebhook } from '../src/webhooks/signature';
import { eventually, fakeProvider, post, testDoitong } from './support';
import { startReceiver, type Receiver } from './receiver';

let doitong: Doitong | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await doitong?.close();
  await receiver?.close();
  doitong = undefined;
  receiver = undefined;
});

async function setup() {
  receiver = await startReceiver();
  doitong = testDoitong({ providers: [fakeProvider().adapter], webhooks: { allowPrivateUrls: true, retrySchedule: [10, 20, 40] } });
  const owner = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
  const stranger = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
  return { apiKey: owner.apiKey, strangerKey: stranger.apiKey, receiver };
}

const gql = async (apiKey: string, query: string, variables?: Record<string, unknown>) => (await post(doitong!, apiKey, { query, variables })).body;
const create = (apiKey: string, url: string, events?: string[]) =>
  gql(
    apiKey,
    'mutation($url: String!, $events: [String!]) { createWebhookEndpoint(url: $url, events: $events, description: "main") { secret endpoint { id url events description enabled disabledReason previousSecretExpiresAt createdAt } } }',
    { url, events },
  );

describe('Standard Webhooks signatures', () => {
  it('match the specification test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    const signature = signWebhook([secret], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(new Webhook(secret).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), body)).toBe(signature);
    const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': `v1a,ignored ${signature}` };
    expect(verifyWebhook(secret, body, headers, { now: 1614265330 * 1000 }).event).toEqual({ test: 2432232314 });
    expect(verifyWebhook(secret, Buffer.from(body), new Headers(headers), { now: 1614265400 * 1000 }).timestamp).toBe(1614265330);
    expect(() => verifyWebhook(secret, body, headers, { now: 1614265330 * 1000 - 301_000 })).toThrow(expect.objectContaining({ reason: 'TIMESTAMP_TOO_NEW' }));
    expect(() => verifyWebhook(secret, body, { ...headers, 'webhook-timestamp': 'soon' })).toThrow(expect.objectContaining({ reason: 'INVALID_HEADERS' }));
  });

  it('use the instance secret given, or a random whsec_ one the host can read', () => {
    doitong = testDoitong({ webhooks: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });
    expect(doitong.webhooks.secret).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const random = testDoitong();
    expect(random.webhooks.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    void random.close();
    expect(() => testDoitong({ webhooks: { secret: 'whsec_not base64!' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { option: 'webhooks.secret' } }),
    );
  });
});

describe('webhook endpoints', () => {
  it('are created with a secret shown once, listed, updated, disabled, enabled and deleted', async () => {
    const { apiKey } = await setup();
    const created = await create(apiKey, 'https://hooks.example.com/a');
    expect(created.errors).toBeUndefined();
    const { secret, endpoint } = created.data.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({
      url: 'https://hooks.example.com/a',
      events: ['generation.completed', 'generation.failed', 'generation.cancelled'],
      description: 'main',
      enabled: true,
      disabledReason: null,
      previousSecretExpiresAt: null,
    });

    // The secret is no field of an endpoint: it cannot be read back.
    const leak = await gql(apiKey, '{ webhookEndpoints { secret } }');
    expect(leak.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const updated = await gql(
      apiKey,
      `mutation { updateWebhookEndpoint(id: "${endpoint.id}", url: "https://hooks.example.com/b", events: ["generation.progress"], description: null) { url events description enabled } }`,
    );
    expect(updated.data.updateWebhookEndpoint).toEqual({
      url: 'https://hooks.example.com/b',
      events: ['generation.progress'],
      description: null,
      enabled: true,
    });
    const disabled = await gql(apiKey, `mutation { disableWebhookEndpoint(id: "${endpoint.id}") { enabled disabledReason } }`);
    expect(disabled.data.disableWebhookEndpoint).toEqual({ enabled: false, disabledReason: 'DISABLED_BY_USER' });
    const enabled = await gql(apiKey, `mutation { updateWebhookEndpoint(id: "${endpoint.id}", enabled: true) { enabled disabledReason } }`);
    expect(enabled.data.updateWebhookEndpoint).toEqual({ enabled: true, disabledReason: null });

    await create(apiKey, 'https://hooks.example.com/c');
    const listed = await gql(apiKey, '{ webhookEndpoints { id url } }');
    expect(listed.data.webhookEndpoints.map((item: { url: string }) => item.url)).toEqual(['https://hooks.example.com/b', 'https://hooks.example.com/c']);

    const deleted = await gql(apiKey, `mutation { deleteWebhookEndpoint(id: "${endpoint.id}") }`);
    expect(deleted.data.deleteWebhookEndpoint).toBe(true);
    expect((await gql(apiKey, '{ webhookEndpoints { url } }')).data.webhookEndpoints).toEqual([{ url: 'https://hooks.example.com/c' }]);
    expect((await gql(apiKey, `{ webhookEndpoint(id: "${endpoint.id}") { id } }`)).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuse unknown event types and bad overlaps with INVALID_INPUT', async () => {
    const { apiKey } = await setup();
    const unknown = await create(apiKey, 'https://hooks.example.com/a', ['generation.exploded']);
    expect(unknown.errors[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      option: 'events',
      allowedValues: ['generation.completed', 'generation.failed', 'generation.cancelled', 'generation.progress'],
    });
    const none = await create(apiKey, 'https://hooks.example.com/a', []);
    expect(none.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'events' });
    const { endpoint } = (await create(apiKey, 'https://hooks.example.com/a')).data.createWebhookEndpoint;
    const overlap = await gql(apiKey, `mutation { rotateWebhookEndpointSecret(id: "${endpoint.id}", overlapSeconds: -1) { secret } }`);
    expect(overlap.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'overlapSeconds' });
  });

  it("are another account's NOT_FOUND, and so are its deliveries", async () => {
    const { apiKey, strangerKey } = await setup();
    const { endpoint } = (await create(apiKey, receiver!.url('/mine'))).data.createWebhookEndpoint;
    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    const mine = await eventually(
      () => gql(apiKey, '{ webhookDeliveries { nodes { id status } } }'),
      (body) => body.data.webhookDeliveries.nodes[0]?.status === 'SUCCEEDED',
    );
    const deliveryId = mine.data.webhookDeliveries.nodes[0].id;
    for (const operation of [
      `{ webhookEndpoint(id: "${endpoint.id}") { id } }`,
      `{ webhookDelivery(id: "${deliveryId}") { id } }`,
      `mutation { updateWebhookEndpoint(id: "${endpoint.id}", url: "https://evil.example.com/") { id } }`,
      `mutation { disableWebhookEndpoint(id: "${endpoint.id}") { id } }`,
      `mutation { deleteWebhookEndpoint(id: "${endpoint.id}") }`,
      `mutation { rotateWebhookEndpointSecret(id: "${endpoint.id}") { secret } }`,
      `mutation { redeliverWebhook(deliveryId: "${deliveryId}") { id } }`,
    ]) {
      const body = await gql(strangerKey, operation);
      expect(body.errors?.[0]?.extensions?.code, operation).toBe('NOT_FOUND');
    }
    expect((await gql(strangerKey, '{ webhookEndpoints { id } }')).data.webhookEndpoints).toEqual([]);
    expect((await gql(strangerKey, `{ webhookDeliveries(endpointId: "${endpoint.id}") { nodes { id } } }`)).data.webhookDeliveries.nodes).toEqual([]);
    expect((await gql(strangerKey, '{ webhookDeliveries { nodes { id } } }')).data.webhookDeliveries.nodes).toEqual([]);
    // Nothing the stranger tried changed the endpoint.
    expect((await gql(apiKey, `{ webhookEndpoint(id: "${endpoint.id}") { url enabled } }`)).data.webhookEndpoint).toEqual({
      url: receiver!.url('/mine'),
      enabled: true,
    });
  });

  it('receive only the event types they asked for, and nothing while disabled', async () => {
    const { apiKey } = await setup();
    await create(apiKey, receiver!.url('/failures'), ['generation.failed']);
    const { endpoint: off } = (await create(apiKey, receiver!.url('/off'))).data.createWebhookEndpoint;
    await gql(apiKey, `mutation { disableWebhookEndpoint(id: "${off.id}") { id } }`);
    await create(apiKey, receiver!.url('/all'));
    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    await eventually(
      async () => receiver!.on('/all').length,
      (count) => count === 1,
    );
    const listed = await gql(apiKey, '{ webhookDeliveries { nodes { url event } } }');
    expect(listed.data.webhookDeliveries.nodes).toEqual([{ url: receiver!.url('/all'), event: 'generation.completed' }]);
    expect(receiver!.on('/failures')).toHaveLength(0);
    expect(receiver!.on('/off')).toHaveLength(0);
  });

  it('reach an endpoint created after the account had generated without any', async () => {
    const { apiKey } = await setup();
    // The first generation ends while the account has no endpoint (remembered as such in memory)…
    const first = await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    await eventually(
      async () => (await gql(apiKey, `{ generation(id: "${first.data.generate.id}") { status } }`)).data.generation.status,
      (status) => status === 'COMPLETED',
    );
    // …and the endpoint created afterwards hears about the next one.
    await create(apiKey, receiver!.url('/late'), ['generation.completed']);
    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "y" } }) { id } }');
    await eventually(
      async () => receiver!.on('/late').filter((request) => request.body.includes('generation.completed')).length,
      (count) => count === 1,
    );
  });

  it('rotate the secret: both secrets sign during the overlap, only the new one after', async () => {
    const { apiKey } = await setup();
    const { endpoint, secret: oldSecret } = (await create(apiKey, receiver!.url('/rotating'))).data.createWebhookEndpoint;
    const rotated = await gql(
      apiKey,
      `mutation { rotateWebhookEndpointSecret(id: "${endpoint.id}", overlapSeconds: 3600) { secret endpoint { previousSecretExpiresAt } } }`,
    );
    const newSecret = rotated.data.rotateWebhookEndpointSecret.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.data.rotateWebhookEndpointSecret.endpoint.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3_500_000);

    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    await eventually(
      async () => receiver!.on('/rotating').length,
      (count) => count === 1,
    );
    const during = receiver!.on('/rotating')[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();
      expect(verifyWebhook(secret, during.body, during.headers).event.type).toBe('generation.completed');
    }

    const ended = await gql(
      apiKey,
      `mutation { rotateWebhookEndpointSecret(id: "${endpoint.id}", overlapSeconds: 0) { secret endpoint { previousSecretExpiresAt } } }`,
    );
    const latest = ended.data.rotateWebhookEndpointSecret.secret;
    expect(ended.data.rotateWebhookEndpointSecret.endpoint.previousSecretExpiresAt).toBeNull();
    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    await eventually(
      async () => receiver!.on('/rotating').length,
      (count) => count === 2,
    );
    const after = receiver!.on('/rotating')[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(latest).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
    for (const secret of [oldSecret, newSecret])
      expect(() => new Webhook(secret).verify(after.body, after.headers as Record<string, string>)).toThrow('No matching signature found');
  });
});

describe('webhookDeliveries', () => {
  it('pages newest first and filters by generation and by endpoint', async () => {
    const { apiKey } = await setup();
    const a = (await create(apiKey, receiver!.url('/a'))).data.createWebhookEndpoint.endpoint.id;
    const b = (await create(apiKey, receiver!.url('/b'))).data.createWebhookEndpoint.endpoint.id;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }')).data.generate.id);
      // One at a time, so the order of deliveries is the order of generations.
      await eventually(
        async () => receiver!.received.length,
        (count) => count === (index + 1) * 2,
      );
    }
    const page = (after?: string) =>
      gql(
        apiKey,
        'query($after: String) { webhookDeliveries(first: 4, after: $after) { edges { cursor } nodes { generationId endpointId } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    const first = (await page()).data.webhookDeliveries;
    expect(first.nodes).toHaveLength(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).data.webhookDeliveries;
    expect(second.nodes).toHaveLength(2);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const generations = [...first.nodes, ...second.nodes].map((node: { generationId: string }) => node.generationId);
    expect([...new Set(generations)]).toEqual([...ids].reverse());

    const forGeneration = await gql(apiKey, `{ webhookDeliveries(generationId: "${ids[1]}") { nodes { generationId endpointId } } }`);
    expect(forGeneration.data.webhookDeliveries.nodes.map((node: { endpointId: string }) => node.endpointId).sort()).toEqual([a, b].sort());
    const forEndpoint = await gql(apiKey, `{ webhookDeliveries(endpointId: "${b}") { nodes { generationId endpointId } } }`);
    expect(forEndpoint.data.webhookDeliveries.nodes).toEqual([...ids].reverse().map((generationId) => ({ generationId, endpointId: b })));
    const both = await gql(apiKey, `{ webhookDeliveries(generationId: "${ids[0]}", endpointId: "${a}") { nodes { generationId endpointId } } }`);
    expect(both.data.webhookDeliveries.nodes).toEqual([{ generationId: ids[0], endpointId: a }]);
  });

  it('cannot be redelivered to a disabled endpoint', async () => {
    const { apiKey } = await setup();
    const { endpoint } = (await create(apiKey, receiver!.url('/x'))).data.createWebhookEndpoint;
    await gql(apiKey, 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }');
    const listed = await eventually(
      () => gql(apiKey, '{ webhookDeliveries { nodes { id status } } }'),
      (body) => body.data.webhookDeliveries.nodes[0]?.status === 'SUCCEEDED',
    );
    await gql(apiKey, `mutation { disableWebhookEndpoint(id: "${endpoint.id}") { id } }`);
    const refused = await gql(apiKey, `mutation { redeliverWebhook(deliveryId: "${listed.data.webhookDeliveries.nodes[0].id}") { id } }`);
    expect(refused.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', option: 'deliveryId' });
  });
});
