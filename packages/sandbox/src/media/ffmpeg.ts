import { spawn } from 'node:child_process';

let bundledPath: Promise<string> | undefined;

/**
 * The ffmpeg binary that ships inside the `@ffmpeg-installer/ffmpeg` npm package: nothing is
 * downloaded at run time. Loaded on first use, so hosts that never render video never load it.
 */
export function ffmpegPath(override?: string): Promise<string> {
  if (override !== undefined) return Promise.resolve(override);
  bundledPath ??= import('@ffmpeg-installer/ffmpeg').then((module) => {
    const installer = (module as { default?: { path: string }; path?: string }).default ?? (module as { path: string });
    return installer.path;
  });
  return bundledPath;
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
