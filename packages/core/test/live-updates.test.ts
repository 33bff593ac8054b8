import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong, DoitongResponse } from '@doitong/core';
import { fakeProvider, post, testDoitong } from './support';

let doitong: Doitong | undefined;
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
});

const follow = 'subscription Follow($id: ID!) { generationUpdated(id: $id) { id status progress } }';

function stream(instance: Doitong, apiKey: string, body: unknown, signal?: AbortSignal): Promise<DoitongResponse> {
  return instance.handle({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
    baseUrl: 'http://localhost/graphql',
    ...(signal ? { signal } : {}),
  });
}

/** The events of an SSE body, as `event` and parsed `data`. */
async function* events(response: DoitongResponse): AsyncGenerator<{ event: string; data: unknown }> {
  let buffer = '';
  for await (const chunk of response.body as AsyncIterable<string | Uint8Array>) {
    buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event) yield { event, data: data ? JSON.parse(data) : null };
    }
  }
}

describe('generationUpdated over Server-Sent Events, at the handler', () => {
  it('answers with an event stream that proxies do not buffer, and counts one read', async () => {
    doitong = testDoitong({ providers: [fakeProvider({ pollsToFinish: 2 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }' });
    const id = created.body.data.generate.id;
    const response = await stream(doitong, apiKey, { query: follow, variables: { id } });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-ratelimit-limit': '1200',
    });
    const seen: string[] = [];
    for await (const { event, data } of events(response)) {
      if (event === 'next') seen.push((data as { data: { generationUpdated: { status: string } } }).data.generationUpdated.status);
      if (event === 'complete') break;
    }
    expect(seen[0]).toMatch(/PENDING|PROCESSING/);
    expect(seen.at(-1)).toBe('COMPLETED');
  });

  it('ends open streams when the instance closes, so clients see them complete', async () => {
    doitong = testDoitong({ providers: [fakeProvider({ pollsToFinish: 1_000_000 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const created = await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }' });
    const response = await stream(doitong, apiKey, { query: follow, variables: { id: created.body.data.generate.id } });
    const reader = events(response);
    expect((await reader.next()).value).toMatchObject({ event: 'next' });
    const closing = doitong.close();
    doitong = undefined;
    const rest = [];
    for await (const event of reader) rest.push(event.event);
    await closing;
    expect(rest.at(-1)).toBe('complete');
  });

  it('masks unexpected errors and refuses documents over the limits, like GraphQL over HTTP', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter], limits: { maxDepth: 3 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const deep = await stream(doitong, apiKey, {
      query: 'subscription { generationUpdated(id: "x") { metadata { width } attempts { provider } routing { candidates { provider } } } }',
    });
    expect(deep.status).toBe(400);
    expect(JSON.parse(String(deep.body)).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const unauthenticated = await stream(doitong, 'dk_test_wrong', { query: follow, variables: { id: 'x' } });
    expect(unauthenticated.status).toBe(401);
    expect(JSON.parse(String(unauthenticated.body)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
