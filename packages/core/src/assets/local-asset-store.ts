import { createReadStream, createWriteStream, writeFile as writeFileWithCallback } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { dirname, join, resolve, sep } from 'node:path';
import type { AssetBody, AssetInfo, AssetRange, AssetStore } from './asset-store';
import { randomToken } from '../random-token';

const contentTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  json: 'application/json',
};

export function contentTypeOf(key: string): string {
  return contentTypes[key.slice(key.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The callback `fs.writeFile`, promisified: the promise API opens a FileHandle per file (an object
 * with its own close tracking), which cost several times the write itself for a generation's output.
 */
const writeFile = promisify(writeFileWithCallback);

/** Files in a local folder; the content type follows the file's extension. */
export class LocalAssetStore implements AssetStore {
  readonly directory: string;

  constructor(directory: string = join(tmpdir(), 'doitong-assets')) {
    this.directory = resolve(directory);
  }

  async put(key: string, data: AssetBody, contentType: string): Promise<AssetInfo> {
    const path = this.#path(key);
    if (!(data instanceof Uint8Array)) {
      // A stream can be read only once, so its folder is made first rather than on a failed open.
      await mkdir(dirname(path), { recursive: true });
      return { key, size: await writeStream(path, data), contentType };
    }
    try {
      await writeFile(path, data);
    } catch (error) {
      // The folder is made on the first write into it, not checked on every write (a mkdir each time was a measurable share of a generation's cost).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    }
    return { key, size: data.byteLength, contentType };
  }

  async info(key: string): Promise<AssetInfo | undefined> {
    try {
      const stats = await stat(this.#path(key));
      return stats.isFile() ? { key, size: stats.size, contentType: contentTypeOf(key) } : undefined;
    } catch {
      return undefined;
    }
  }

  read(key: string, range?: AssetRange): AsyncIterable<Uint8Array> {
    return createReadStream(this.#path(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  async prune(olderThanMilliseconds: number): Promise<number> {
    const cutoff = Date.now() - olderThanMilliseconds;
    let removed = 0;
    const walk = async (folder: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if ((await stat(path)).mtimeMs < cutoff) {
          await rm(path, { force: true });
          removed++;
        }
      }
    };
    await walk(this.directory);
    return removed;
  }

  /** Keys come from the engine, but a path must never leave the folder whatever the key. */
  #path(key: string): string {
    const path = resolve(this.directory, key);
    if (!path.startsWith(this.directory + sep)) throw new Error(`asset key escapes the folder: ${key}`);
    return path;
  }
}

/**
 * Writes chunks to a file next to `path` and renames it into place once the last one is written:
 * a reader never sees half a file, and a source that fails part-way leaves nothing under the key.
 * Left-over partial files (a process killed mid-copy) are old by the next prune and go with it.
 */
async function writeStream(path: string, data: AsyncIterable<Uint8Array>): Promise<number> {
  const partial = `${path}.${randomToken(12)}.partial`;
  try {
    const file = createWriteStream(partial);
    await pipeline(data, file);
    await rename(partial, path);
    return file.bytesWritten;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
