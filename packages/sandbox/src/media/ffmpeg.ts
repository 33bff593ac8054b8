import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The environment variable that names an ffmpeg binary when no `ffmpegPath` option is given. */
export const ffmpegPathVariable = 'DOITONG_FFMPEG_PATH';

/** Raised when no ffmpeg can be run: the sandbox's video and avatar files need one. */
export class FfmpegMissing extends Error {}

const found = new Map<string, Promise<string>>();

/**
 * The ffmpeg binary to encode with: the `ffmpegPath` option, else `DOITONG_FFMPEG_PATH`, else
 * `ffmpeg` on the PATH (the system's: `apt-get install ffmpeg`, `brew install ffmpeg`). No binary
 * ships in this package: a host picks a maintained one (the system's, or an npm package's path
 * such as `ffmpeg-static`'s) and images and speech need none at all.
 */
export function ffmpegPath(override?: string): Promise<string> {
  const configured = override ?? process.env[ffmpegPathVariable];
  const key = configured ?? `PATH=${process.env.PATH ?? ''}`;
  let lookup = found.get(key);
  if (!lookup) {
    lookup = configured !== undefined ? executable(configured, configured) : onPath('ffmpeg');
    // A failed lookup is not kept: the host may install ffmpeg while the process runs.
    lookup.catch(() => found.delete(key));
    found.set(key, lookup);
  }
  return lookup;
}

async function executable(path: string, configured: string): Promise<string> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    throw new FfmpegMissing(`The ffmpeg binary ${configured} (from the ffmpegPath option or ${ffmpegPathVariable}) cannot be run.`);
  }
}

async function onPath(name: string): Promise<string> {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    for (const candidate of process.platform === 'win32' ? [`${name}.exe`, name] : [name]) {
      const path = join(folder, candidate);
      try {
        await access(path, constants.X_OK);
        return path;
      } catch {
        // Not in this folder; try the next.
      }
    }
  }
  throw new FfmpegMissing(
    `No ffmpeg on the PATH. Install one (apt-get install ffmpeg, brew install ffmpeg) or name a binary with sandboxProviders({ ffmpegPath }) or ${ffmpegPathVariable}.`,
  );
}

/** Runs ffmpeg to completion; the error carries ffmpeg's own last words. */
export function runFfmpeg(binary: string, args: readonly string[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with code ${code}: ${stderr.trim()}`));
    });
  });
}

/**
 * Runs ffmpeg with `input` written to its standard input (raw frames), respecting back-pressure so
 * a long clip never sits in memory; the error carries ffmpeg's own last words.
 */
export async function runFfmpegWithInput(binary: string, args: readonly string[], input: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
  const child = spawn(binary, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    ...(signal ? { signal } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  // ffmpeg may stop reading early (an error); its exit code says why, not the broken pipe.
  child.stdin.on('error', () => undefined);
  try {
    for await (const chunk of input) {
      if (child.exitCode !== null || child.stdin.destroyed) break;
      if (!child.stdin.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            child.stdin.off('drain', done);
            child.stdin.off('close', done);
            resolve();
          };
          child.stdin.on('drain', done);
          child.stdin.on('close', done);
        });
      }
    }
  } finally {
    child.stdin.end();
  }
  const code = await closed;
  if (code !== 0) throw new Error(`ffmpeg exited with code ${code}: ${stderr.trim()}`);
}
