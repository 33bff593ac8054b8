import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GenerationRequest, ProviderAdapter, ProviderCallContext, ProviderStatus } from '@doitong/core';

// Requests are built as the catalog's own tests build them: options validated with defaults applied.
export { requestFor } from '../../adapters/test/helpers';

/** The engine's clock, moved by hand. */
export function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(milliseconds: number) {
      now += milliseconds;
    },
  };
}

export function callContext(clock: { now(): number }): ProviderCallContext {
  return { signal: new AbortController().signal, now: () => clock.now() };
}

/** Starts a job and polls it once the clock passed its latency, as the engine would. */
export async function runJob(adapter: ProviderAdapter, request: GenerationRequest): Promise<ProviderStatus> {
  const clock = manualClock();
  const context = callContext(clock);
  const job = await adapter.start(request, context);
  if (job.status) return job.status;
  clock.advance(3_600_000);
  const status = await adapter.status?.(job.handle, request, context);
  if (!status) throw new Error('no status');
  return status;
}

export function outputOf(status: ProviderStatus) {
  if (status.state !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(status)}`);
  const output = status.outputs[0];
  if (!output || output.kind !== 'bytes') throw new Error('expected bytes output');
  return output;
}

export interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; channels?: number; r_frame_rate?: string }[];
  format: { duration: string; format_name: string; size: string };
}

/** Reads a media file with ffprobe (Debian's, on the PATH): the test's independent witness of what the bytes are. */
export async function probe(data: Uint8Array, extension: string): Promise<Probe> {
  const binary = 'ffprobe';
  const folder = await mkdtemp(join(tmpdir(), 'doitong-probe-'));
  try {
    const file = join(folder, `media.${extension}`);
    await writeFile(file, data);
    const { stdout } = await promisify(execFile)(binary, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
    return JSON.parse(stdout) as Probe;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
