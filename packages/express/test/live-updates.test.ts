import { liveUpdatesTestSuite } from '@doitong/core/testing';
import express from 'express';
import express4 from 'express4';
import * as vitest from 'vitest';
import { startExpressHost, type ExpressModule } from './host';

liveUpdatesTestSuite(vitest, { name: 'Express 5', start: (doitong) => startExpressHost(express, doitong) });
liveUpdatesTestSuite(vitest, { name: 'Express 4 after express.json()', start: (doitong) => startExpressHost(express4 as ExpressModule, doitong, 'json') });
