import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3AssetStore, type S3AssetStoreOptions } from '@doitong/s3';

/** s3rver's fixed credentials: it checks every request's SigV4 signature against them. */
export const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-compatible server on a loopback port, with one bucket, its files in a temporary folder. */
export async function startS3Server(bucket = 'doitong-test') {
  const directory = mkdtempSync(join(tmpdir(), 'doitong-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    /** A store on this server, addressed as MinIO and other self-hosted servers are: by path. */
    store(options: Partial<S3AssetStoreOptions> = {}) {
      return new S3AssetStore({ bucket, endpoint, region: 'us-east-1', forcePathStyle: true, credentials, ...options });
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
