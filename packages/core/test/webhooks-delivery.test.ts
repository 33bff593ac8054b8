import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, InProcessQueue, silentLogger, verifyWebhook, type Doitong, type DoitongOptions, type JobQueue } from '@doitong/core';
import { eventually, fakeProvider, post, testDoitong } from './support';
import { startReceiver, type Answer, type ReceivedRequest, type Receiver } from './receiver';

const instanceSecret = generateWebhookSecret();
const fast = { retrySchedule: [10, 20, 40], allowPrivateUrls: true, secret: instanceSecret };

let doitong: Doitong | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await doitong?.close();
  await receiver?.close();
  doitong = undefined;
  receiver = undefined;
});

async function setup(
  options: { answer?: (request: ReceivedRequest, count: number) => Answer; webhooks?: DoitongOptions['webhooks']; doitong?: DoitongOptions } = {},
) {
  receiver = await startReceiver(options.answer);
  doitong = testDoitong({
    providers: [
      fakeProvider({ pollsToFinish: 2 }).adapter,
      fakeProvider({ id: 'failing', outcome: 'fail' }).adapter,
      fakeProvider({ id: 'slow', pollsToFinish: 100_000 }).adapter,
    ],
    webhooks: { ...fast, ...options.webhooks },
    ...options.doitong,
  });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 10_000 });
  return { apiKey, receiver, doitong };
}

const generateDocument = 'mutation($input: GenerateInput!) { generate(input: $input) { id } }';
async function generate(apiKey: string, provider: string, webhookUrl?: string): Promise<string> {
  const response = await post(doitong!, apiKey, {
    query: generateDocument,
    variables: { input: { type: 'IMAGE', provider, input: { text: 'a fox' }, webhookUrl } },
  });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.generate.id;
}

async function createEndpoint(apiKey: string, url: string, events?: string[]): Promise<{ id: string; secret: string }> {
  const response = await post(doitong!, apiKey, {
    query: 'mutation($url: String!, $events: [String!]) { createWebhookEndpoint(url: $url, events: $events) { secret endpoint { id url events enabled } } }',
    variables: { url, events },
  });
  expect(response.body.errors).toBeUndefined();
  return { id: response.body.data.createWebhookEndpoint.endpoint.id, secret: response.body.data.createWebhookEndpoint.secret };
}

const deliveriesDocument = `query($generationId: ID, $endpointId: ID) { webhookDeliveries(first: 50, generationId: $generationId, endpointId: $endpointId) {
  nodes { id webhookId event generationId endpointId url status nextAttemptAt lastError attempts { number at status responseStatus error durationMilliseconds durationMs url } payload }
} }`;
async function deliveries(apiKey: string, filter: { generationId?: string; endpointId?: string } = {}) {
  const response = await post(doitong!, apiKey, { query: deliveriesDocument, variables: filter });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.webhookDeliveries.nodes as Array<{
    id: string;
    webhookId: string;
    event: string;
    endpointId: string | null;
    status: string;
    lastError: string | null;
    attempts: Array<{ number: number; status: string; responseStatus: number | null; error: string | null; durationMilliseconds: number; durationMs: number }>;
    payload: { type: string; timestamp: string; data: { generation: Record<string, unknown> } };
  }>;
}

const settled = (apiKey: string, filter: { generationId?: string; endpointId?: string }, count: number) =>
  eventually(
    () => deliveries(apiKey, filter),
    (list) => list.length >= count && list.every((delivery) => delivery.status !== 'PENDING'),
  );

/** Every field of a Generation, as a client would select them, to compare with the payload. */
const fullGeneration = `query($id: ID!) { generation(id: $id) {
  id type status provider model url videoUrl metadata { width height duration format resolution aspectRatio fps sampleRate channels fileSize contentType model seed codec hasAudio }
  progress creditCost estimatedTime error { code message } errorCode livemode input options priority webhookUrl
  routing { provider reason priority candidates { provider score eligible reason } }
  attempts { provider startedAt endedAt outcome errorCode message } createdAt updatedAt startedAt completedAt
} }`;

describe('webhook delivery to a real receiver', () => {
  it('delivers each event once, signed so that standardwebhooks and verifyWebhook both verify it', async () => {
    const { apiKey } = await setup();
    const endpoint = await createEndpoint(apiKey, receiver!.url('/endpoint'), [
      'generation.completed',
      'generation.failed',
      'generation.cancelled',
      'generation.progress',
    ]);
    const own = receiver!.url('/own');

    const completed = await generate(apiKey, 'fake', own);
    const failed = await generate(apiKey, 'failing', own);
    const cancelled = await generate(apiKey, 'slow', own);
    const cancel = await post(doitong!, apiKey, { query: `mutation { cancelGeneration(id: "${cancelled}") }` });
    expect(cancel.body.data.cancelGeneration).toBe(true);

    // Own URL: the three ends. Endpoint: the three ends and the progress of the two-poll job.
    const ownDeliveries = await eventually(
      () => deliveries(apiKey),
      (list) =>
        list.filter((delivery) => delivery.endpointId === null && delivery.status === 'SUCCEEDED').length === 3 &&
        list.filter((delivery) => delivery.endpointId !== null && delivery.status === 'SUCCEEDED').length === 4,
    );
    expect(ownDeliveries.every((delivery) => delivery.attempts.length === 1 && delivery.attempts[0]!.responseStatus === 204)).toBe(true);

    const ownRequests = receiver!.on('/own');
    const endpointRequests = receiver!.on('/endpoint');
    expect(ownRequests).toHaveLength(3);
    expect(endpointRequests).toHaveLength(4);
    // Once per successful delivery: no webhook-id twice on a path.
    expect(new Set(ownRequests.map((request) => request.headers['webhook-id'])).size).toBe(3);
    expect(new Set(endpointRequests.map((request) => request.headers['webhook-id'])).size).toBe(4);

    const official = { own: new Webhook(instanceSecret), endpoint: new Webhook(endpoint.secret) };
    const events: Record<string, Record<string, unknown>> = {};
    for (const [path, requests, secret, webhook] of [
      ['own', ownRequests, instanceSecret, official.own],
      ['endpoint', endpointRequests, endpoint.secret, official.endpoint],
    ] as const) {
      for (const request of requests) {
        expect(request.headers['content-type']).toBe('application/json');
        // Standard Webhooks' list of signatures: an endpoint's one secret, or for a generation's own
        // webhookUrl the account's secret and the host's.
        expect(request.headers['webhook-signature']).toMatch(path === 'own' ? /^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/ : /^v1,[A-Za-z0-9+/]+=*$/);
        const byOfficial = webhook.verify(request.body, request.headers as Record<string, string>) as {
          type: string;
          timestamp: string;
          data: { generation: { id: string } };
        };
        const ours = verifyWebhook(secret, request.body, request.headers);
        expect(ours.event).toEqual(byOfficial);
        expect(ours.webhookId).toBe(request.headers['webhook-id']);
        expect(new Date(byOfficial.timestamp).toISOString()).toBe(byOfficial.timestamp);
        events[`${path}:${byOfficial.type}:${byOfficial.data.generation.id}`] = byOfficial;
      }
    }
    expect(Object.keys(events).sort()).toEqual(
      [
        `endpoint:generation.cancelled:${cancelled}`,
        `endpoint:generation.completed:${completed}`,
        `endpoint:generation.failed:${failed}`,
        `endpoint:generation.progress:${completed}`,
        `own:generation.cancelled:${cancelled}`,
        `own:generation.completed:${completed}`,
        `own:generation.failed:${failed}`,
      ].sort(),
    );

    // The payload's generation is what the generation query returns, with an absolute signed url.
    const query = await post(doitong!, apiKey, { query: fullGeneration, variables: { id: completed } });
    const fromQuery = query.body.data.generation;
    const fromWebhook = (events[`own:generation.completed:${completed}`] as { data: { generation: Record<string, unknown> } }).data.generation;
    expect(fromWebhook).toMatchObject(fromQuery);
    // Every field of the type, not just those this test names: fields added later come along.
    const generationType = doitong!.schema.getType('Generation') as { getFields(): Record<string, unknown> };
    expect(Object.keys(fromWebhook).sort()).toEqual(Object.keys(generationType.getFields()).sort());
    expect(fromWebhook.url).toMatch(/^http:\/\/localhost\/graphql\/assets\/.+signature=/);
    expect((events[`own:generation.failed:${failed}`] as { data: { generation: Record<string, unknown> } }).data.generation).toMatchObject({
      status: 'FAILED',
      errorCode: 'GENERATION_FAILED',
      url: null,
    });
    expect((events[`endpoint:generation.progress:${completed}`] as { data: { generation: Record<string, unknown> } }).data.generation).toMatchObject({
      status: 'PROCESSING',
      progress: 50,
    });
  });

  it('rejects a tampered body, a wrong secret and a stale timestamp, with the official package and with verifyWebhook', async () => {
    const { apiKey } = await setup();
    const id = await generate(apiKey, 'fake', receiver!.url('/own'));
    await settled(apiKey, { generationId: id }, 1);
    const request = receiver!.on('/own')[0]!;
    const headers = request.headers as Record<string, string>;
    const official = new Webhook(instanceSecret);
    expect(() => official.verify(request.body, headers)).not.toThrow();

    const tampered = request.body.replace('"COMPLETED"', '"FAILED"');
    expect(tampered).not.toBe(request.body);
    expect(() => official.verify(tampered, headers)).toThrow('No matching signature found');
    expect(() => verifyWebhook(instanceSecret, tampered, headers)).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_VERIFICATION_FAILED', reason: 'NO_MATCHING_SIGNATURE' }),
    );

    const wrongSecret = generateWebhookSecret();
    expect(() => new Webhook(wrongSecret).verify(request.body, headers)).toThrow('No matching signature found');
    expect(() => verifyWebhook(wrongSecret, request.body, headers)).toThrow(expect.objectContaining({ reason: 'NO_MATCHING_SIGNATURE' }));

    // A replay ten minutes later: the official package's clock is moved by moving the message's timestamp.
    const sentAt = Number(headers['webhook-timestamp']) * 1000;
    expect(() => verifyWebhook(instanceSecret, request.body, headers, { now: sentAt + 10 * 60_000 })).toThrow(
      expect.objectContaining({ reason: 'TIMESTAMP_TOO_OLD' }),
    );
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const resigned = {
      ...headers,
      'webhook-timestamp': String(stale),
      'webhook-signature': official.sign(headers['webhook-id']!, new Date(stale * 1000), request.body),
    };
    expect(() => official.verify(request.body, resigned)).toThrow('Message timestamp too old');
    expect(() => verifyWebhook(instanceSecret, request.body, resigned)).toThrow(expect.objectContaining({ reason: 'TIMESTAMP_TOO_OLD' }));
    // Within a wider tolerance the same stale message verifies: the window is the only thing refusing it.
    expect(verifyWebhook(instanceSecret, request.body, resigned, { toleranceSeconds: 15 * 60 }).webhookId).toBe(headers['webhook-id']);

    expect(() => verifyWebhook(instanceSecret, request.body, { ...headers, 'webhook-signature': undefined as unknown as string })).toThrow(
      expect.objectContaining({ reason: 'MISSING_HEADERS' }),
    );
  });

  it('retries a receiver that fails twice, with the same webhook-id, and succeeds on the third attempt', async () => {
    const { apiKey } = await setup({ answer: (_request, count) => (count < 2 ? 500 : 204) });
    const id = await generate(apiKey, 'fake', receiver!.url('/flaky'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery!.status).toBe('SUCCEEDED');
    expect(delivery!.attempts.map((attempt) => [attempt.number, attempt.status, attempt.responseStatus])).toEqual([
      [1, 'FAILED', 500],
      [2, 'FAILED', 500],
      [3, 'SUCCEEDED', 204],
    ]);
    expect(delivery!.attempts[0]!.error).toBe('HTTP 500');
    // The deprecated durationMs still answers, with the same figure.
    for (const attempt of delivery!.attempts)
      expect([Number.isInteger(attempt.durationMilliseconds), attempt.durationMs]).toEqual([true, attempt.durationMilliseconds]);
    const requests = receiver!.on('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery!.webhookId]));
    // Same message, same body; each attempt is signed for its own timestamp and verifies.
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    for (const request of requests) expect(() => new Webhook(instanceSecret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
  });

  it('gives up after the schedule: one attempt and one per retry, then FAILED', async () => {
    const { apiKey } = await setup({ answer: () => 503 });
    const id = await generate(apiKey, 'fake', receiver!.url('/down'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery!.status).toBe('FAILED');
    expect(delivery!.attempts).toHaveLength(1 + fast.retrySchedule.length);
    expect(receiver!.on('/down')).toHaveLength(4);
    expect(delivery!.lastError).toBe('HTTP 503');
  });

  it('disables an endpoint that answers 410 Gone and sends it nothing more', async () => {
    const { apiKey } = await setup({ answer: (request) => (request.path === '/gone' ? 410 : 204) });
    const endpoint = await createEndpoint(apiKey, receiver!.url('/gone'));
    const first = await generate(apiKey, 'fake');
    const [delivery] = await settled(apiKey, { generationId: first }, 1);
    expect(delivery).toMatchObject({ status: 'FAILED', endpointId: endpoint.id });
    expect(delivery!.attempts).toHaveLength(1);
    expect(delivery!.attempts[0]!.responseStatus).toBe(410);
    const read = await post(doitong!, apiKey, { query: `{ webhookEndpoint(id: "${endpoint.id}") { enabled disabledReason } }` });
    expect(read.body.data.webhookEndpoint).toEqual({ enabled: false, disabledReason: 'GONE' });

    // The next generation's own webhook is the barrier: its event has been fanned out by the time it arrives.
    const second = await generate(apiKey, 'fake', receiver!.url('/own'));
    await settled(apiKey, { generationId: second }, 1);
    expect(await deliveries(apiKey, { generationId: second })).toHaveLength(1);
    expect(receiver!.on('/gone')).toHaveLength(1);
  });

  it('times out a receiver that hangs and retries it', async () => {
    const { apiKey } = await setup({ answer: (_request, count) => (count === 0 ? 'hang' : 204), webhooks: { responseTimeoutMilliseconds: 500 } });
    const id = await generate(apiKey, 'fake', receiver!.url('/hangs'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery!.status).toBe('SUCCEEDED');
    expect(delivery!.attempts.map((attempt) => [attempt.status, attempt.responseStatus, attempt.error])).toEqual([
      ['FAILED', null, 'no response within the timeout'],
      ['SUCCEEDED', 204, null],
    ]);
    const requests = receiver!.on('/hangs');
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers['webhook-id']).toBe(requests[1]!.headers['webhook-id']);
  });

  it('does not follow redirects', async () => {
    const { apiKey } = await setup({
      answer: (request) => (request.path === '/moved' ? { status: 302, headers: { location: '/elsewhere' } } : 204),
      webhooks: { retrySchedule: [] },
    });
    const id = await generate(apiKey, 'fake', receiver!.url('/moved'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery).toMatchObject({ status: 'FAILED', lastError: 'HTTP 302 (redirects are not followed)' });
    expect(receiver!.on('/elsewhere')).toHaveLength(0);
  });

  it('redelivers by mutation with the same webhook-id and body', async () => {
    const { apiKey } = await setup();
    const id = await generate(apiKey, 'fake', receiver!.url('/own'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    const again = await post(doitong!, apiKey, { query: `mutation { redeliverWebhook(deliveryId: "${delivery!.id}") { id status webhookId } }` });
    expect(again.body.data.redeliverWebhook).toEqual({ id: delivery!.id, status: 'PENDING', webhookId: delivery!.webhookId });
    const [redelivered] = await eventually(
      () => deliveries(apiKey, { generationId: id }),
      (list) => list[0]!.attempts.length === 2 && list[0]!.status === 'SUCCEEDED',
    );
    expect(redelivered!.attempts.map((attempt) => attempt.number)).toEqual([1, 2]);
    const requests = receiver!.on('/own');
    expect(requests).toHaveLength(2);
    expect(requests[1]!.headers['webhook-id']).toBe(delivery!.webhookId);
    expect(requests[1]!.body).toBe(requests[0]!.body);
  });

  it("runs on the host's JobQueue with jobs that carry only ids, and a job run twice makes one attempt", async () => {
    const inner = new InProcessQueue({ logger: silentLogger });
    const jobs: Array<{ name: string; data: unknown }> = [];
    // A queue that, like a distributed one after a worker stalls, runs every delivery job twice.
    const queue: JobQueue = {
      register: (name, handler) => inner.register(name, handler),
      async enqueue(name, data, options) {
        jobs.push({ name, data: JSON.parse(JSON.stringify(data)) });
        await inner.enqueue(name, data, options);
        if (name === 'webhook.deliver') await inner.enqueue(name, data, options);
      },
      close: () => inner.close(),
    };
    const { apiKey } = await setup({ doitong: { queue } });
    const id = await generate(apiKey, 'fake', receiver!.url('/once'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery!.status).toBe('SUCCEEDED');
    expect(delivery!.attempts).toHaveLength(1);
    expect(receiver!.on('/once')).toHaveLength(1);
    const deliverJobs = jobs.filter((job) => job.name === 'webhook.deliver');
    // The first job; the duplicate that found the claim held queued one re-check for when the
    // claim lapses (after a crash that re-check is what makes the attempt). All carry only ids.
    expect(deliverJobs).toHaveLength(2);
    for (const job of deliverJobs) expect(job.data).toEqual({ id: delivery!.id, token: (deliverJobs[0]!.data as { token: string }).token });
  });

  it('builds links from the publicUrl option when one is set', async () => {
    const { apiKey } = await setup({ doitong: { publicUrl: 'https://api.example.com/graphql/' } });
    const id = await generate(apiKey, 'fake', receiver!.url('/own'));
    const [delivery] = await settled(apiKey, { generationId: id }, 1);
    expect(delivery!.payload.data.generation.url).toMatch(/^https:\/\/api\.example\.com\/graphql\/assets\//);
  });
});

describe('per-account signing secrets for generations’ own webhookUrl', () => {
  const secretQuery = '{ webhookSigningSecret { secret previousSecretExpiresAt } }';
  const rotate = 'mutation($overlap: Int) { rotateWebhookSigningSecret(overlapSeconds: $overlap) { secret previousSecretExpiresAt } }';

  it('signs each account’s deliveries with its own secret, which no other account’s secret verifies', async () => {
    const { apiKey } = await setup();
    const other = await doitong!.accounts.create({ plan: 'pro', credits: 100 });
    const mine = (await post(doitong!, apiKey, { query: secretQuery })).body.data.webhookSigningSecret.secret as string;
    const theirs = (await post(doitong!, other.apiKey, { query: secretQuery })).body.data.webhookSigningSecret.secret as string;
    expect(mine).toMatch(/^whsec_/);
    expect(theirs).not.toBe(mine);
    // Read again, the same secret: it is made once.
    expect((await post(doitong!, apiKey, { query: secretQuery })).body.data.webhookSigningSecret.secret).toBe(mine);

    const first = await generate(apiKey, 'fake', receiver!.url('/mine'));
    await settled(apiKey, { generationId: first }, 1);
    const request = receiver!.on('/mine')[0]!;
    const headers = request.headers as Record<string, string>;
    expect(() => new Webhook(mine).verify(request.body, headers)).not.toThrow();
    expect(verifyWebhook(mine, request.body, headers).webhookId).toBe(headers['webhook-id']);
    // Another tenant's secret verifies nothing it did not sign: it cannot forge this receiver's events.
    expect(() => new Webhook(theirs).verify(request.body, headers)).toThrow('No matching signature found');
  });

  it('rotates with an overlap in which both secrets sign, and without one at once', async () => {
    const { apiKey } = await setup();
    const old = (await post(doitong!, apiKey, { query: secretQuery })).body.data.webhookSigningSecret.secret as string;
    const rotated = (await post(doitong!, apiKey, { query: rotate, variables: { overlap: 3_600 } }, { 'idempotency-key': 'rotate-1' })).body;
    const fresh = rotated.data.rotateWebhookSigningSecret.secret as string;
    expect(fresh).not.toBe(old);
    expect(rotated.data.rotateWebhookSigningSecret.previousSecretExpiresAt).not.toBeNull();
    // A new secret in an answer is not kept for replays.
    expect((await post(doitong!, apiKey, { query: rotate, variables: { overlap: 3_600 } }, { 'idempotency-key': 'rotate-1' })).status).toBe(410);

    const during = await generate(apiKey, 'fake', receiver!.url('/during'));
    await settled(apiKey, { generationId: during }, 1);
    const overlapping = receiver!.on('/during')[0]!;
    for (const secret of [old, fresh]) expect(() => new Webhook(secret).verify(overlapping.body, overlapping.headers as Record<string, string>)).not.toThrow();

    const latest = (await post(doitong!, apiKey, { query: rotate, variables: { overlap: 0 } })).body.data.rotateWebhookSigningSecret;
    expect(latest.previousSecretExpiresAt).toBeNull();
    const after = await generate(apiKey, 'fake', receiver!.url('/after'));
    await settled(apiKey, { generationId: after }, 1);
    const request = receiver!.on('/after')[0]!;
    expect(() => new Webhook(latest.secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    for (const secret of [old, fresh]) expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toThrow();
    expect((await post(doitong!, apiKey, { query: rotate, variables: { overlap: -1 } })).body.errors[0].extensions).toMatchObject({
      code: 'INVALID_INPUT',
      option: 'overlapSeconds',
    });
  });
});
