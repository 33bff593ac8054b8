// Type-checked as CommonJS (node16 resolution, a .cts file): each package's require types.
import { createDoitong, DoitongError, type Doitong, type ProviderAdapter } from '@doitong/core';
import { providerConformanceSuite, storeTestSuite } from '@doitong/core/testing';
import { httpClient, defaultClassifier } from '@doitong/core/provider-utils';
import { catalog, liveProviders, type CatalogEntry, type LiveAdapter } from '@doitong/adapters';
import { sandboxProviders, type SandboxAdapter } from '@doitong/sandbox';
import { doitongExpress } from '@doitong/express';
import { doitongKoa } from '@doitong/koa';
import { doitongFastify } from '@doitong/fastify';
import { DoitongClient, type Generation } from '@doitong/client';
import { redis } from '@doitong/redis';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';

const sandbox: SandboxAdapter[] = sandboxProviders({ latencyMs: 0, ffmpegPath: '/usr/bin/ffmpeg' });
const live: LiveAdapter[] = liveProviders();
const providers: ProviderAdapter[] = [...sandbox, ...live];
const entries: readonly CatalogEntry[] = catalog;
const doitong: Doitong = createDoitong({ providers, ...redis({ url: 'redis://127.0.0.1:6379' }) });
express().use('/graphql', doitongExpress(doitong));
new Koa().use(doitongKoa(doitong, { path: '/graphql' }));
void Fastify().register(doitongFastify(doitong), { prefix: '/graphql' });
const client = new DoitongClient({ apiKey: 'key', endpoint: 'http://127.0.0.1/graphql' });
const generation: Promise<Generation> = client.generate({ type: 'IMAGE', input: { text: 'A lighthouse' } });
const error: DoitongError = new DoitongError('INVALID_INPUT', 'bad');
// Declarations that failed to load would make these `any` and the expected errors vanish.
// @ts-expect-error providers is a list of adapters
createDoitong({ providers: 42 });
// @ts-expect-error latencyMs is a number
sandboxProviders({ latencyMs: 'soon' });
// @ts-expect-error the client needs an API key
new DoitongClient({ endpoint: 'http://127.0.0.1/graphql' });
// @ts-expect-error an HTTP client needs its settings' provider id and base URL
httpClient({}, defaultClassifier);
// @ts-expect-error a binding takes a Doitong instance
doitongExpress({});
export = { entries, generation, error, providerConformanceSuite, storeTestSuite };
