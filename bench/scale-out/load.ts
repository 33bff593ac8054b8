/**
 * The load of the scale-out benchmark, in a process of its own: requests go round-robin to the
 * instances over keep-alive connections, a fixed number at a time. The parent says what to send
 * over IPC and gets back, per request, when it was sent and how long its answer took.
 */
import { Agent, request } from 'undici';
import { benchApiKey } from '../http/doitong-key.ts';
import { generateDocument, generateVariables, generationDocument } from '../http/shared.ts';

const urls = JSON.parse(process.env.BENCH_URLS!) as string[];
const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
const headers = { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json' };
const generateBody = JSON.stringify({ query: generateDocument, variables: generateVariables });
let turn = 0;
let keys = 0;

async function post(body: string, extraHeaders: Record<string, string> = {}): Promise<{ milliseconds: number; sentAt: number; data: any }> {
  const url = urls[turn++ % urls.length]!;
  const sentAt = performance.timeOrigin + performance.now();
  const started = performance.now();
  const response = await request(url, { method: 'POST', headers: { ...headers, ...extraHeaders }, body, dispatcher: agent });
  const text = await response.body.text();
  const milliseconds = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`);
  const parsed = JSON.parse(text);
  if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
  return { milliseconds, sentAt, data: parsed.data };
}

/** Runs `count` tasks, `concurrency` at a time. */
async function pool<Result>(count: number, concurrency: number, task: (index: number) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

process.on('message', async (message: { type: 'generate' | 'read' | 'close'; count: number; concurrency: number; ids?: string[] }) => {
  if (message.type === 'close') process.exit(0);
  if (message.type === 'generate') {
    const results = await pool(message.count, message.concurrency, async () => {
      // A fresh Idempotency-Key per request, as a careful client sends.
      const { milliseconds, sentAt, data } = await post(generateBody, { 'idempotency-key': `scale-out-${process.pid}-${++keys}` });
      return { id: data.generate.id as string, sentAt, milliseconds };
    });
    process.send!({ type: 'generated', results });
  }
  if (message.type === 'read') {
    const ids = message.ids!;
    const results = await pool(message.count, message.concurrency, async (index) => {
      const { milliseconds } = await post(JSON.stringify({ query: generationDocument, variables: { id: ids[index % ids.length] } }));
      return milliseconds;
    });
    process.send!({ type: 'read', results });
  }
});
process.send!({ type: 'ready' });
