import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Doitong, DoitongRequest, DoitongResponse, Logger } from '@doitong/core';

/** Every log call, so a test can say what was logged for which input. */
export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  object: Record<string, unknown>;
  message: string | undefined;
}

export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (object: Record<string, unknown>, message?: string) => void entries.push({ level, object, message });
  return { entries, error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') };
}

/** Whether a log entry carries a stack trace: an Error, or text with stack frames in it. */
export function hasStack(value: unknown, depth = 0): boolean {
  if (depth > 8 || value === null || value === undefined) return false;
  if (value instanceof Error) return true;
  if (typeof value === 'string') return /\n\s+at /.test(value);
  if (typeof value !== 'object') return false;
  for (const item of Object.values(value as Record<string, unknown>)) if (hasStack(item, depth + 1)) return true;
  return false;
}

/** The garbage collector, reached without starting Node with --expose-gc. */
export function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The heap in use after a full collection, in bytes. */
export function settledHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Sends a request straight to the handler, as a binding would, and reads the whole body. */
export async function send(
  doitong: Doitong,
  request: Partial<DoitongRequest> & { url: string },
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const response: DoitongResponse = await doitong.handle({ method: 'POST', headers: {}, baseUrl: 'http://localhost/graphql', ...request });
  return { status: response.status, headers: response.headers, text: await readBody(response.body) };
}

async function readBody(body: DoitongResponse['body']): Promise<string> {
  if (body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  let text = '';
  for await (const chunk of body) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

/** A small seeded generator (mulberry32), so a failing run can be repeated exactly. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    integer: (below: number) => Math.floor(next() * below),
    pick: <Item>(items: readonly Item[]): Item => items[Math.floor(next() * items.length)]!,
  };
}
