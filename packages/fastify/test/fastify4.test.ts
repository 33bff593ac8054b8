import { bindingTestSuite } from '@doitong/core/testing';
import fastify4 from 'fastify4';
import { serverAudits } from 'graphql-http';
import * as vitest from 'vitest';
import { startFastifyHost } from './host';

bindingTestSuite(vitest, {
  name: 'Fastify 4',
  audits: serverAudits,
  start: (doitong) => startFastifyHost(fastify4, doitong),
});
