// The packed packages loaded with require.
const { readFileSync } = require('node:fs');
const run = require('./run.cjs');

const packageNames = JSON.parse(readFileSync(`${__dirname}/packages.json`, 'utf8'));
const schema = readFileSync(require.resolve('@doitong/core/schema.graphql'), 'utf8');
if (!schema.includes('type Query')) throw new Error('schema.graphql has no Query type');
run(
  {
    core: require('@doitong/core'),
    testing: require('@doitong/core/testing'),
    providerUtils: require('@doitong/core/provider-utils'),
    adapters: require('@doitong/adapters'),
    sandbox: require('@doitong/sandbox'),
    express: require('@doitong/express'),
    koa: require('@doitong/koa'),
    fastify: require('@doitong/fastify'),
    client: require('@doitong/client'),
    redis: require('@doitong/redis'),
    hosts: { express: require('express'), koa: require('koa'), fastify: require('fastify') },
  },
  packageNames,
  async (name) => require(name),
).then(
  () => console.log(`CommonJS: ${packageNames.length} packages required; Express, Koa and Fastify served a generation (Node ${process.versions.node})`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
