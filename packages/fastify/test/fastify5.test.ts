import { bindingTestSuite } from '@doitong/core/testing';
import fastify from 'fastify';
import { serverAudits } from 'graphql-http';
import * as vitest from 'vitest';
import { startFastifyHost } from './host';

for (const prefix of [true, false]) {
  bindingTestSuite(vitest, {
    name: prefix ? 'Fastify 5' : 'Fastify 5 mounted by path',
    audits: serverAudits,
    start: (doitong) => startFastifyHost(fastify, doitong, { prefix }),
  });
}
