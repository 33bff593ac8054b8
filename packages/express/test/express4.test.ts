import { bindingTestSuite } from '@doitong/core/testing';
import express from 'express4';
import { serverAudits } from 'graphql-http';
import * as vitest from 'vitest';
import { startExpressHost } from './host';

for (const bodyParser of [undefined, 'json'] as const) {
  bindingTestSuite(vitest, {
    name: bodyParser ? 'Express 4 after express.json()' : 'Express 4',
    hostBodyParser: bodyParser !== undefined,
    audits: serverAudits,
    start: (doitong) => startExpressHost(express, doitong, bodyParser),
  });
}
