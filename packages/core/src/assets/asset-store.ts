/** A stored output file. */
export interface AssetInfo {
  key: string;
  size: number;
  contentType: string;
}

/** A byte range read from an asset (inclusive bounds, as in HTTP Range). */
export interface AssetRange {
  start: number;
  end: number;
}

/**
 * What `put` stores: the whole file, or its chunks as they arrive. A provider's output is copied
 * as chunks, so a large video passes through without ever being held whole in memory.
 */
export type AssetBody = Uint8Array | AsyncIterable<Uint8Array>;

/** What a direct download link is made for. */
export interface AssetLinkOptions {
  /** Unix time in milliseconds after which the link must stop working (the Doitong link's own expiry). */
  expiresAt: number;
  /** The name the browser should save the file as (`content-disposition`). */
  fileName: string;
}

/**
 * Where output files live. The local folder is the default; an object store (S3, GCS, R2) implements
 * the same four methods, and passes `assetStoreTestSuite` from `@doitong/core/testing`.
 */
export interface AssetStore {
  /**
   * Stores a file under `key`, replacing any earlier one. A put that fails part-way (the chunks'
   * source threw) leaves no file under the key and rejects with the source's error.
   */
  put(key: string, data: AssetBody, contentType: string): Promise<AssetInfo>;
  info(key: string): Promise<AssetInfo | undefined>;
  /** Streams the whole file, or `range` of it. */
  read(key: string, range?: AssetRange): AsyncIterable<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Deletes files older than `olderThanMilliseconds`; returns how many. */
  prune?(olderThanMilliseconds: number): Promise<number>;
  /**
   * A link that downloads the file straight from where it is kept (a presigned bucket URL), so the
   * bytes need not pass through Node. When a store has it, the asset route checks the Doitong link's
   * signature and answers 302 to this link; the store then answers for the file itself (ranges, 404).
   */
  downloadUrl?(key: string, options: AssetLinkOptions): Promise<string>;
}
