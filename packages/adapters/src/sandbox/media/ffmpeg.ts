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
