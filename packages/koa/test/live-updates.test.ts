import { liveUpdatesTestSuite } from '@doitong/core/testing';
import Koa from 'koa';
import Koa2 from 'koa2';
import * as vitest from 'vitest';
import { startKoaHost } from './host';

liveUpdatesTestSuite(vitest, { name: 'Koa 3', start: (doitong) => startKoaHost(Koa, doitong) });
liveUpdatesTestSuite(vitest, { name: 'Koa 2 after @koa/bodyparser', start: (doitong) => startKoaHost(Koa2, doitong, { bodyParser: true }) });
