import { bindingTestSuite } from '@doitong/core/testing';
import { serverAudits } from 'graphql-http';
import Koa from 'koa2';
import * as vitest from 'vitest';
import { startKoaHost } from './host';

for (const bodyParser of [false, true]) {
  bindingTestSuite(vitest, {
    name: bodyParser ? 'Koa 2 after @koa/bodyparser' : 'Koa 2',
    hostBodyParser: bodyParser,
    // Koa runs the parser upstream of Doitong: its error reaches Koa's handler, not Doitong.
    hostAnswersMalformedJson: bodyParser,
    audits: serverAudits,
    start: (doitong) => startKoaHost(Koa, doitong, { bodyParser }),
  });
}
