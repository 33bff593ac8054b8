import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDoitong, silentLogger, type Doitong } from '@doitong/core';
import { eventually } from '@doitong/core/testing';
import { liveProviders, type LiveCredentials, type ProviderFamily } from '@doitong/adapters';
import type { MockServer } from '../mocks/mock-server';

export interface LiveEngine {
  doitong: Doitong;
  /** Submits a generation and resolves with its final state and the account's balance then. */
  run(input: Record<string, unknown>): Promise<{ generation: Record<string, any>; credits: number }>;
  close(): Promise<void>;
}

const read =
  'query($id: ID!) { generation(id: $id) { status provider creditCost errorCode error { message } attempts { provider outcome errorCode } } me { credits } }';

/**
 * The whole engine with one live provider pointed at its mock, a live account with 1,000
 * credits and fast polls: what a caller sees, end to end, when the provider answers this way.
 */
export async function liveEngine(options: { mock: MockServer; family: ProviderFamily; ids: string[]; credentials: LiveCredentials }): Promise<LiveEngine> {
  const doitong = createDoitong({
    providers: liveProviders({ providers: options.ids, env: {}, credentials: options.credentials, baseUrls: { [options.family]: options.mock.url } }),
    logger: silentLogger,
    assets: { directory: mkdtempSync(join(tmpdir(), 'doitong-live-engine-')) },
    pollSchedule: () => 5,
  });
  const { apiKey } = await doitong.accounts.create({ mode: 'live', plan: 'pro', credits: 1_000 });
  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await doitong.handle({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
      baseUrl: 'http://local/graphql',
    });
    return JSON.parse(String(response.body));
  };
  return {
    doitong,
    async run(input) {
      const created = await call('mutation($input: GenerateInput!) { generate(input: $input) { id } }', { input });
      if (created.errors) throw new Error(JSON.stringify(created.errors));
      const ended = await eventually(
        async () => (await call(read, { id: created.data.generate.id })).data,
        (data) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(data.generation.status),
      );
      return { generation: ended.generation, credits: ended.me.credits };
    },
    close: () => doitong.close(),
  };
}
