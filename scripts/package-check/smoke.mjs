// The packed packages loaded as ES modules.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as core from '@doitong/core';
import * as testing from '@doitong/core/testing';
import * as providerUtils from '@doitong/core/provider-utils';
import * as adapters from '@doitong/adapters';
import * as sandbox from '@doitong/sandbox';
import * as express from '@doitong/express';
import * as koa from '@doitong/koa';
import * as fastify from '@doitong/fastify';
import * as client from '@doitong/client';
import * as redis from '@doitong/redis';
import Express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';

const run = createRequire(import.meta.url)('./run.cjs');
const packageNames = JSON.parse(await readFile(new URL('./packages.json', import.meta.url), 'utf8'));
const schema = await readFile(new URL(import.meta.resolve('@doitong/core/schema.graphql')), 'utf8');
if (!schema.includes('type Query')) throw new Error('schema.graphql has no Query type');
await run(
  { core, testing, providerUtils, adapters, sandbox, express, koa, fastify, client, redis, hosts: { express: Express, koa: Koa, fastify: Fastify } },
  packageNames,
  (name) => import(name),
);
console.log(`ESM: ${packageNames.length} packages imported; Express, Koa and Fastify served a generation (Node ${process.versions.node})`);
