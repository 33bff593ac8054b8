import { bodyParser } from '@koa/bodyparser';
import { listen, webhookReceiverTestSuite } from '@doitong/core/testing';
import { doitongWebhookReceiver } from '@doitong/koa';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import * as vitest from 'vitest';

for (const [version, Koa] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2],
] as const) {
  for (const parser of [false, true]) {
    webhookReceiverTestSuite(vitest, {
      name: parser ? `${version} after @koa/bodyparser` : version,
      start: (receiver) => {
        const app = new Koa();
        // Koa prints the errors of onEvent that the suite throws on purpose.
        app.silent = true;
        if (parser) app.use(bodyParser());
        app.use(doitongWebhookReceiver({ ...receiver, path: '/webhooks' }));
        app.use((context) => {
          context.body = 'other';
        });
        return listen(app.callback(), '/webhooks');
      },
    });
  }
}
