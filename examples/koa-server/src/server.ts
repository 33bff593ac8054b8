/** Doitong inside a Koa app: the same API as the Express demo, mounted with `doitongKoa`. */
import { createServer } from 'node:http';
import Koa from 'koa';
import { sandboxProviders } from '@doitong/sandbox';
import { createDoitong } from '@doitong/core';
import { doitongKoa } from '@doitong/koa';
import { serve } from '../../shared/serve';

const environment = process.env;
const port = Number(environment.PORT ?? 4000);
const latencyMilliseconds = environment.DOITONG_SANDBOX_LATENCY_MS === undefined ? undefined : Number(environment.DOITONG_SANDBOX_LATENCY_MS);

const doitong = createDoitong({
  providers: sandboxProviders(latencyMilliseconds === undefined ? {} : { latencyMilliseconds }),
  webhooks: {
    secret: environment.DOITONG_WEBHOOK_SECRET,
    allowPrivateUrls: environment.DOITONG_ALLOW_PRIVATE_URLS === 'true' || environment.DOITONG_ALLOW_PRIVATE_URLS === '1',
  },
});

const { apiKey, account } = await doitong.accounts.create({
  plan: environment.DOITONG_DEMO_PLAN ?? 'pro',
  credits: Number(environment.DOITONG_DEMO_CREDITS ?? 10_000),
  mode: 'test',
  name: 'Demo account',
  ...(environment.DOITONG_DEMO_KEY ? { apiKey: environment.DOITONG_DEMO_KEY } : {}),
});

const app = new Koa();
app.use(doitongKoa(doitong, { path: '/graphql' }));
// The host's own routes come after Doitong's.
app.use((context) => {
  context.body = 'This app embeds Doitong at /graphql.\n';
});

await serve(createServer(app.callback()), { port, close: () => doitong.close() });
console.log(`Doitong Koa example listening on http://localhost:${port}/graphql`);
console.log(`Test-mode API key: ${apiKey} (account ${account.id}, plan ${account.plan}, ${account.credits} credits)`);
console.log(`Webhook secret: ${doitong.webhooks.secret}`);
