import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AssetBody, AssetInfo, AssetLinkOptions, AssetRange, AssetStore } from '@doitong/core';

/** The longest a SigV4 presigned link may live: seven days. */
const maxLinkSeconds = 7 * 24 * 3600;

export interface S3AssetStoreOptions {
  /** The bucket that holds the files; it must exist (Doitong never creates or configures buckets). */
  bucket: string;
  /**
   * Put before every key (`doitong/` gives `doitong/acct_…/gen_….mp4`), so one bucket can hold other
   * things too and a lifecycle rule can target Doitong's files alone. Empty by default.
   */
  prefix?: string;
  /**
   * A client of your own (credentials chain, retries, middleware, a proxy). When left out, one is
   * made from `region`, `endpoint`, `forcePathStyle` and `credentials` (or the SDK's usual chain:
   * environment variables, shared config, instance roles).
   */
  client?: S3Client;
  /** `us-east-1`, or `auto` for Cloudflare R2. */
  region?: string;
  /**
   * The S3 API's address for a store that is not AWS: `https://<account>.r2.cloudflarestorage.com`,
   * `https://storage.googleapis.com`, `http://127.0.0.1:9000` (MinIO).
   */
  endpoint?: string;
  /** Address buckets as `endpoint/bucket/key` rather than `bucket.endpoint/key`: MinIO and most self-hosted servers need it. */
  forcePathStyle?: boolean;
  credentials?: S3ClientConfig['credentials'];
  /**
   * Bytes per part of a multipart upload (default 8 MiB, S3's minimum is 5 MiB). A stream is held
   * at most `partSize × queueSize` at a time, never whole.
   */
  partSize?: number;
  /** Parts uploaded at once (default 4). */
  queueSize?: number;
  /**
   * Hand out presigned links, so downloads go from the bucket to the caller without passing
   * through Node (default true). With false, Doitong streams files from the bucket itself: for a
   * bucket the callers must never reach directly.
   */
  presignedDownloads?: boolean;
  /**
   * Delete several files per request when pruning (S3's DeleteObjects, default true). Google Cloud
   * Storage's S3 API has no multi-object delete: set false there (or, better, give the bucket a
   * lifecycle rule and leave `retentionSeconds` out).
   */
  batchDelete?: boolean;
}

/**
 * Output files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Google Cloud Storage's
 * S3 API), on the official AWS SDK. Streams go up as multipart uploads, a part at a time; a failed
 * stream aborts its upload, so nothing is left under the key. Downloads are presigned links.
 */
export class S3AssetStore implements AssetStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly #options: S3AssetStoreOptions;
  readonly #ownsClient: boolean;

  constructor(options: S3AssetStoreOptions) {
    this.#options = options;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.#ownsClient = !options.client;
    this.client =
      options.client ??
      new S3Client({
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
    if (options.presignedDownloads === false) this.downloadUrl = undefined;
  }

  async put(key: string, data: AssetBody, contentType: string): Promise<AssetInfo> {
    const Key = this.#key(key);
    if (data instanceof Uint8Array) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: data, ContentType: contentType, ContentLength: data.byteLength }));
      return { key, size: data.byteLength, contentType };
    }
    // The source's own error is what the caller sees (the SDK may wrap or replace it while aborting).
    let size = 0;
    let sourceError: unknown;
    const counted = async function* () {
      try {
        for await (const chunk of data) {
          size += chunk.byteLength;
          yield chunk;
        }
      } catch (error) {
        sourceError = error;
        throw error;
      }
    };
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: Readable.from(counted(), { objectMode: false }), ContentType: contentType },
      partSize: this.#options.partSize ?? 8 * 1024 * 1024,
      queueSize: this.#options.queueSize ?? 4,
      // A failed multipart upload is aborted, so its parts do not linger (and cost) in the bucket.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw sourceError ?? error;
    }
    return { key, size, contentType };
  }

  async info(key: string): Promise<AssetInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
      return { key, size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  read(key: string, range?: AssetRange): AsyncIterable<Uint8Array> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) });
    const client = this.client;
    return (async function* () {
      const object = await client.send(command);
      if (!object.Body) return;
      yield* object.Body as AsyncIterable<Uint8Array>;
    })();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }));
  }

  /**
   * Deletes the files under the prefix last written more than `olderThanMilliseconds` ago. A bucket
   * lifecycle rule does the same without listing (see the README); this is for buckets without one.
   */
  async prune(olderThanMilliseconds: number): Promise<number> {
    const cutoff = Date.now() - olderThanMilliseconds;
    let removed = 0;
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, ...(this.prefix ? { Prefix: this.prefix } : {}) })) {
      const old = (page.Contents ?? [])
        .filter((object) => object.Key && object.LastModified && object.LastModified.getTime() < cutoff)
        .map((object) => object.Key!);
      removed += await this.#deleteKeys(old);
    }
    return removed;
  }

  /** A presigned GET for the file, valid until the Doitong link it stands for expires (at most seven days). */
  downloadUrl? = async (key: string, options: AssetLinkOptions): Promise<string> => {
    const seconds = Math.min(maxLinkSeconds, Math.max(1, Math.ceil((options.expiresAt - Date.now()) / 1000)));
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.#key(key),
      ResponseContentDisposition: `inline; filename="${options.fileName.replace(/["\\]/g, '')}"`,
    });
    return getSignedUrl(this.client, command, { expiresIn: seconds });
  };

  /** Closes the client this store made (a client passed in stays open: it is the host's). */
  close(): void {
    if (this.#ownsClient) this.client.destroy();
  }

  async #deleteKeys(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    if (this.#options.batchDelete === false) {
      for (const Key of keys) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
      return keys.length;
    }
    const answer = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    return keys.length - (answer.Errors?.length ?? 0);
  }

  #key(key: string): string {
    return this.prefix + key;
  }
}

/** HEAD answers a bare 404 (NotFound); GET answers NoSuchKey. */
function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);
}

/** `s3AssetStore({ bucket, region })`: the store for `createDoitong({ assets: { store } })`. */
export function s3AssetStore(options: S3AssetStoreOptions): S3AssetStore {
  return new S3AssetStore(options);
}
