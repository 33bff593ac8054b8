/**
 * The Doitong demo: an existing Express app with Doitong mounted at /graphql, serving the
 * whole provider catalog through the sandbox, so every sample of the product page works
 * offline with the printed test-mode key.
 */
import express from 'express';
import { sandboxProviders } from '@doitong/adapters';
import { createDoitong } from '@doitong/core';
import { doitongExpress } from '@doitong/express';

const environment = process.env;
const port = Number(environment.PORT ?? 4000);
const latencyMs = environment.DOITONG_SANDBOX_LATENCY_MS === undefined ? undefined : Number(environment.DOITONG_SANDBOX_LATENCY_MS);

const doitong = createDoitong({
  providers: sandboxProviders(latencyMs === undefined ? {} : { latencyMs }),
  webhooks: { secret: environment.DOITONG_WEBHOOK_SECRET, allowPrivateUrls: environment.DOITONG_ALLOW_PRIVATE_URLS === 'true' || environment.DOITONG_ALLOW_PRIVATE_URLS === '1' },
});

const { apiKey, account } = await doitong.accounts.create({
  plan: environment.DOITONG_DEMO_PLAN ?? 'pro',
  credits: Number(environment.DOITONG_DEMO_CREDITS ?? 10_000),
  mode: 'test',
  name: 'Demo account',
  ...(environment.DOITONG_DEMO_KEY ? { apiKey: environment.DOITONG_DEMO_KEY } : {}),
});

const app = express();
// The host's own routes live beside Doitong.
app.get('/', (_request, response) => {
  response.type('text/plain').send('This app embeds Doitong at /graphql.\n');
});
app.use('/graphql', doitongExpress(doitong));

const server = app.listen(port, () => {
  console.log(`Doitong demo listening on http://localhost:${port}/graphql`);
  console.log(`Test-mode API key: ${apiKey} (account ${account.id}, plan ${account.plan}, ${account.credits} credits)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void doitong.close().then(() => process.exit(0));
  });
}
