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
 * Where output files live. The local folder is the default; an object store (S3, GCS)
 * implements the same four methods.
 */
export interface AssetStore {
  put(key: string, data: Uint8Array, contentType: string): Promise<AssetInfo>;
  info(key: string): Promise<AssetInfo | undefined>;
  /** Streams the whole file, or `range` of it. */
  read(key: string, range?: AssetRange): AsyncIterable<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Deletes files older than `olderThanMilliseconds`; returns how many. */
  prune?(olderThanMilliseconds: number): Promise<number>;
}
