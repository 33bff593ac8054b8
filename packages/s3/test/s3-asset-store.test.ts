import * as vitest from 'vitest';
import { assetStoreTestSuite } from '@doitong/core/testing';
import type { S3AssetStore } from '@doitong/s3';
import { startS3Server } from './s3-server';

let server: Awaited<ReturnType<typeof startS3Server>>;
vitest.beforeAll(async () => {
  server = await startS3Server();
});
vitest.afterAll(async () => {
  await server.close();
});

const close = async (store: S3AssetStore) => store.close();
assetStoreTestSuite(vitest, { name: 'S3 (s3rver on loopback)', create: async () => server.store(), close });
assetStoreTestSuite(vitest, {
  name: 'S3 under a prefix, deleting one file at a time, without presigned links',
  create: async () => server.store({ prefix: 'outputs/', batchDelete: false, presignedDownloads: false, partSize: 5 * 1024 * 1024 }),
  close,
});
