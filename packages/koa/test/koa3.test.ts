import { bindingTestSuite } from '@doitong/core/testing';
import { serverAudits } from 'graphql-http';
import Koa from 'koa';
import * as vitest from 'vitest';
import { startKoaHost } from './host';

for (const bodyParser of [false, true]) {
  bindingTestSuite(vitest, {
    name: bodyParser ? 'Koa 3 after @koa/bodyparser' : 'Koa 3',
    hostBodyParser: bodyParser,
    // Koa runs the parser upstream of Doitong: its error reaches Koa's handler, not Doitong.
    hostAnswersMalformedJson: bodyParser,
    audits: serverAudits,
    start: (doitong) => startKoaHost(Koa, doitong, { bodyParser }),
  });
}
