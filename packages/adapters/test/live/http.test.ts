import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '@doitong/core';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { httpClient, liveProviders, UpstreamFailure } from '@doitong/adapters';
import { defaultClassifier } from '@doitong/core/provider-utils';
import { requestFor } from '../helpers';
import { context } from './target';

async function server(handler: Parameters<typeof createServer>[1]) {
  const http = createServer(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (http.closeAllConnections(), http.close(() => resolve()))),
  };
}

const parseJson = ({ body }: { body: unknown }) => body;

describe('the HTTP helper', () => {
  it('calls a refused output at a status read `failed` (the job ended, asked no more), but `rejected` at a create call and for a status it could not read', async () => {
    const refusing = await server((request, response) => {
      const status = request.url?.includes('broken') ? 503 : 200;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ refused: status === 200 }));
    });
    const classifier = ({ status }: { status: number }) => ({
      code: status === 503 ? ('PROVIDER_UNAVAILABLE' as const) : ('GENERATION_FAILED' as const),
      message: 'output refused',
    });
    const call = httpClient({ providerId: 'p', baseUrl: refusing.url }, classifier);
    const refused = ({ status, body }: { status: number; body: unknown }) => {
      if ((body as { refused?: boolean }).refused) throw new UpstreamFailure(status, body);
      return body;
    };
    await expect(call({ method: 'GET', url: '/jobs/1', signal: AbortSignal.timeout(5_000), parse: refused })).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
      acceptance: 'failed',
    });
    await expect(call({ method: 'POST', url: '/jobs', json: {}, create: true, signal: AbortSignal.timeout(5_000), parse: refused })).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
      acceptance: 'rejected',
    });
    await expect(call({ method: 'GET', url: '/jobs/broken', signal: AbortSignal.timeout(5_000), parse: refused })).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      acceptance: 'rejected',
    });
    await refusing.close();
  });

  it('calls a refused connection `rejected`: nothing was sent, so retrying or falling back is safe', async () => {
    const closed = await server(() => {});
    await closed.close();
    const call = httpClient({ providerId: 'p', baseUrl: closed.url }, defaultClassifier);
    const error = await call({ method: 'POST', url: '/jobs', json: {}, create: true, signal: AbortSignal.timeout(5_000), parse: parseJson }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'rejected' });
  });

  it('calls a timeout after sending `unknown`: the job may exist', async () => {
    const silent = await server(() => {});
    const call = httpClient({ providerId: 'p', baseUrl: silent.url, headersTimeoutMilliseconds: 50 }, defaultClassifier);
    const error = await call({ method: 'POST', url: '/jobs', json: {}, create: true, signal: AbortSignal.timeout(5_000), parse: parseJson }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'unknown', message: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT') });
    await silent.close();
  });

  it('calls a connection reset after sending `unknown`, and an unreadable success `unknown` too', async () => {
    const resetting = await server((request) => request.socket.destroy());
    const call = httpClient({ providerId: 'p', baseUrl: resetting.url }, defaultClassifier);
    await expect(call({ method: 'POST', url: '/jobs', json: {}, create: true, signal: AbortSignal.timeout(5_000), parse: parseJson })).rejects.toMatchObject({
      acceptance: 'unknown',
    });
    await resetting.close();
    const odd = await server((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"unexpected":true}'));
    const oddCall = httpClient({ providerId: 'p', baseUrl: odd.url }, defaultClassifier);
    const error = await oddCall({
      method: 'POST',
      url: '/jobs',
      create: true,
      signal: AbortSignal.timeout(5_000),
      parse: () => {
        throw new Error('no id');
      },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', acceptance: 'unknown', responseStatus: 200 });
    await odd.close();
  });

  it('calls an answered 4xx/5xx `rejected`, with the status, the body and the classifier’s code', async () => {
    const answering = await server((_request, response) =>
      response.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"prompt: field required"}'),
    );
    const call = httpClient({ providerId: 'p', baseUrl: answering.url }, defaultClassifier);
    await expect(call({ method: 'POST', url: '/jobs', json: {}, create: true, signal: AbortSignal.timeout(5_000), parse: parseJson })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      acceptance: 'rejected',
      responseStatus: 422,
      responseBody: { detail: 'prompt: field required' },
      message: 'p: prompt: field required',
    });
    await answering.close();
  });

  it('goes through an injected undici dispatcher (a MockAgent here) with the configured base URL', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.lumalabs.ai');
    pool
      .intercept({ path: '/dream-machine/v1/generations/video', method: 'POST', headers: { authorization: 'Bearer luma-key' } })
      .reply(201, { id: 'gen-1', state: 'queued' }, { headers: { 'content-type': 'application/json' } });
    const [luma] = liveProviders({ credentials: { luma: { apiKey: 'luma-key' } }, env: {}, dispatcher: agent, providers: ['luma'] });
    const job = await luma!.start(requestFor(luma!, 'VIDEO', { text: 'x' }), context());
    expect(job.handle).toEqual({ generationId: 'gen-1' });
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
