import { liveUpdatesTestSuite } from '@doitong/core/testing';
import fastify from 'fastify';
import fastify4 from 'fastify4';
import * as vitest from 'vitest';
import { startFastifyHost } from './host';

liveUpdatesTestSuite(vitest, { name: 'Fastify 5', start: (doitong) => startFastifyHost(fastify, doitong) });
liveUpdatesTestSuite(vitest, { name: 'Fastify 4', start: (doitong) => startFastifyHost(fastify4, doitong) });
