'use strict';
// What a host does first, through each binding: mount Doitong, create a key, generate an image with
// the typed client, download it. The modules come from the caller, loaded by import (smoke.mjs) or
// by require (smoke.cjs), so the same steps check both builds of every package.
const assert = require('node:assert/strict');

module.exports = async function run(modules, packageNames, load) {
  const { core, adapters, sandbox, express: doitongExpress, koa: doitongKoa, fastify: doitongFastify, client, redis, testing, providerUtils } = modules;
  const Express = modules.hosts.express;
  const Koa = modules.hosts.koa;
  const Fastify = modules.hosts.fastify;

  // Every package named in the workspace loads and exports something.
  for (const name of packageNames) {
    const loaded = await load(name);
    assert.ok(Object.keys(loaded).length > 0, `${name} exports nothing`);
  }
  assert.equal(typeof testing.providerConformanceSuite, 'function');
  // One HTTP helper: the catalog's is core's provider-utils entry, and its errors are core's own ProviderError.
  assert.equal(adapters.httpClient, providerUtils.httpClient);
  const unreachable = providerUtils.httpClient({ providerId: 'nowhere', baseUrl: 'http://127.0.0.1:1' }, providerUtils.defaultClassifier);
  await assert.rejects(
    unreachable({ method: 'GET', url: '/', signal: new AbortController().signal, parse: () => undefined }),
    (error) => error instanceof core.ProviderError && error.acceptance === 'rejected',
  );
  assert.equal(typeof redis.redis, 'function');
  assert.equal(adapters.liveProviders().length, adapters.catalog.length);

  const doitong = core.createDoitong({ providers: sandbox.sandboxProviders({ latencyMilliseconds: 0 }), logger: core.silentLogger });
  const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1000 });
  const hosts = {
    express: async () => {
      const app = Express();
      app.use('/graphql', doitongExpress.doitongExpress(doitong));
      return listen((server) => server.on('request', app));
    },
    koa: async () => {
      const app = new Koa();
      app.use(doitongKoa.doitongKoa(doitong, { path: '/graphql' }));
      return listen((server) => server.on('request', app.callback()));
    },
    fastify: async () => {
      const app = Fastify();
      await app.register(doitongFastify.doitongFastify(doitong), { prefix: '/graphql' });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const closing = closeLateIdleConnections(app.server);
      return { port: app.server.address().port, close: () => (closing(), app.close()) };
    },
  };
  try {
    for (const [name, start] of Object.entries(hosts)) {
      const host = await start();
      try {
        const api = new client.DoitongClient({ apiKey, endpoint: `http://127.0.0.1:${host.port}/graphql` });
        const started = await api.generate({ type: 'IMAGE', provider: 'flux-schnell', input: { text: `A lighthouse, through ${name}` } });
        const finished = await api.waitForCompletion(started.id, { timeoutMilliseconds: 30_000 });
        assert.equal(finished.status, 'COMPLETED', `${name}: ${JSON.stringify(finished.error)}`);
        const file = await fetch(finished.url);
        const bytes = Buffer.from(await file.arrayBuffer());
        assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${name}: the download is not a PNG`);
      } finally {
        await host.close();
      }
    }
  } finally {
    await doitong.close();
  }
};

function listen(attach) {
  const { createServer } = require('node:http');
  const server = createServer();
  attach(server);
  const closing = closeLateIdleConnections(server);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((done) => (closing(), server.close(done))) }));
  });
}

/**
 * A client can have read a download's declared length before Node's server counts the response as
 * finished; `close()` then finds that keep-alive connection busy and leaves it open until its timeout
 * (5 s in Node, 72 s in Fastify). Once closing, every response that finishes closes the idle connections.
 */
function closeLateIdleConnections(server) {
  let closing = false;
  server.on('request', (_request, response) => {
    response.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return () => {
    closing = true;
  };
}
