// Type-checked under node10 resolution (TypeScript's `moduleResolution: node`), which reads no exports map.
import { createDoitong } from '@doitong/core';
import { providerConformanceSuite } from '@doitong/core/testing';
import { httpClient } from '@doitong/core/provider-utils';
import { liveProviders } from '@doitong/adapters';
import { sandboxProviders } from '@doitong/sandbox';
import { doitongExpress } from '@doitong/express';
import { doitongKoa } from '@doitong/koa';
import { doitongFastify } from '@doitong/fastify';
import { DoitongClient } from '@doitong/client';
import { redis } from '@doitong/redis';

export const checks = [
  createDoitong,
  providerConformanceSuite,
  httpClient,
  liveProviders,
  sandboxProviders,
  doitongExpress,
  doitongKoa,
  doitongFastify,
  DoitongClient,
  redis,
];
// @ts-expect-error a conformance suite takes its options (declarations that failed to load would make this \`any\`)
providerConformanceSuite(42);
