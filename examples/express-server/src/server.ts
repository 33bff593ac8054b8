/**
 * The Doitong demo: an existing Express app with Doitong mounted at /graphql, serving the
 * whole provider catalog through the sandbox, so every sample of the product page works
 * offline with the printed test-mode key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sandboxProviders } from '@doitong/sandbox';
import { consoleBundle } from '@doitong/console';
import { createDoitong } from '@doitong/core';
import { doitongExpress } from '@doitong/express';
import { sqlite } from '@doitong/sqlite';
import { serve } from '../../shared/serve';

const environment = process.env;
const port = Number(environment.PORT ?? 4000);
const latencyMilliseconds = environment.DOITONG_SANDBOX_LATENCY_MS === undefined ? undefined : Number(environment.DOITONG_SANDBOX_LATENCY_MS);

/**
 * Image-to-video in the demo can start from an image this server made: the sandbox reads input
 * images only through this function, and it accepts nothing but this demo's own download links.
 */
async function loadOwnAsset(url: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const link = new URL(url);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(link.hostname) && Number(link.port) === port;
  if (!local || !link.pathname.startsWith('/graphql/assets/')) return undefined;
  const response = await fetch(link, signal ? { signal } : {});
  return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
}

/**
 * The console's files, as its package's build made them; a checkout whose packages were never
 * built gets them built now, into a folder of this process (esbuild: a second or two).
 */
async function consoleFiles() {
  try {
    return consoleBundle();
  } catch {
    const { buildApp } = await import('@doitong/console/build');
    return consoleBundle({ directory: await buildApp(mkdtempSync(join(tmpdir(), 'doitong-console-'))) });
  }
}

// The operators' credential for the console's admin pages and the admin API; random unless set.
const adminKey = environment.DOITONG_ADMIN_KEY ?? `admin_${randomBytes(24).toString('base64url')}`;

// Everything is kept in ./data: a restart loses no account, generation, credit or job in flight.
const data = sqlite({ dataDirectory: environment.DOITONG_DATA_DIRECTORY ?? fileURLToPath(new URL('../data', import.meta.url)) });
const doitong = createDoitong({
  providers: sandboxProviders({ loadInput: loadOwnAsset, ...(latencyMilliseconds === undefined ? {} : { latencyMilliseconds }) }),
  ...data,
  console: { bundle: await consoleFiles() },
  admin: { key: adminKey },
  webhooks: {
    secret: environment.DOITONG_WEBHOOK_SECRET ?? data.webhooks.secret,
    allowPrivateUrls: environment.DOITONG_ALLOW_PRIVATE_URLS === 'true' || environment.DOITONG_ALLOW_PRIVATE_URLS === '1',
  },
});

// A key given in DOITONG_DEMO_KEY is the same account on every start; without one, each start makes a new account.
const known = environment.DOITONG_DEMO_KEY ? await doitong.accounts.authenticate(environment.DOITONG_DEMO_KEY) : null;
const { apiKey, account } = known
  ? { apiKey: environment.DOITONG_DEMO_KEY!, account: (await doitong.accounts.get(known.id))! }
  : await doitong.accounts.create({
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

await serve(createServer(app), { port, close: () => doitong.close() });
console.log(`Doitong demo listening on http://localhost:${port}/graphql`);
console.log(`Test-mode API key: ${apiKey} (account ${account.id}, plan ${account.plan}, ${account.credits} credits)`);
// Receivers of a generation's webhookUrl verify with this; kept in ./data unless DOITONG_WEBHOOK_SECRET is set.
console.log(`Webhook secret: ${doitong.webhooks.secret}`);
console.log(`Console: http://localhost:${port}/graphql/console/ (operators' credential: ${adminKey})`);
