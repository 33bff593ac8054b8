/** A host app that adds its own provider to Doitong next to (or instead of) the catalog. */
import { createServer } from 'node:http';
import express from 'express';
import { createDoitong } from '@doitong/core';
import { doitongExpress } from '@doitong/express';
import { serve } from '../../shared/serve';
import { houseRenderer } from './house-renderer-provider';
import { startRenderService } from './render-service';

const port = Number(process.env.PORT ?? 4000);
const token = process.env.RENDER_SERVICE_TOKEN ?? 'house-secret';
const renderService = await startRenderService({ token });

const doitong = createDoitong();
doitong.registerProvider(houseRenderer({ baseUrl: renderService.url, token }));
const { apiKey } = await doitong.accounts.create({
  plan: 'pro',
  credits: 1_000,
  ...(process.env.DOITONG_DEMO_KEY ? { apiKey: process.env.DOITONG_DEMO_KEY } : {}),
});

const app = express();
app.use('/graphql', doitongExpress(doitong));
await serve(createServer(app), {
  port,
  close: async () => {
    await doitong.close();
    renderService.server.close();
  },
});
console.log(`Doitong with a custom provider listening on http://localhost:${port}/graphql`);
console.log(`Test-mode API key: ${apiKey}`);
console.log('Try: mutation { generate(input: { type: IMAGE, provider: "house-renderer", input: { text: "sunrise" } }) { id status } }');
