/**
 * The load generator, run in its own process so it never shares an event loop with the server:
 * autocannon's programmatic API, a warm-up, then the measured run. Prints one JSON line.
 */
import autocannon from 'autocannon';

interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** A fresh Idempotency-Key per request (mutations), the same cost for every server. */
  idempotencyKeys: boolean;
}

const options = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadOptions;
let counter = 0;
const prefix = `bench-${process.pid}-`;

function run(seconds: number, latencies?: number[]): Promise<autocannon.Result> {
  const tracker = autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: seconds,
    headers: options.headers,
    body: options.body,
    ...(options.idempotencyKeys
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': `${prefix}${++counter}` } }),
            },
          ],
        }
      : {}),
  });
  // autocannon's histogram keeps whole milliseconds; the response events carry the exact time.
  if (latencies)
    (tracker as unknown as import('node:events').EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
      latencies.push(responseTime),
    );
  return tracker as unknown as Promise<autocannon.Result>;
}

await run(options.warmupSeconds);
const latencies: number[] = [];
const result = await run(options.seconds, latencies);
latencies.sort((left, right) => left - right);
const percentile = (share: number) =>
  latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))]!.toFixed(3)) : NaN;
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    /** Milliseconds, from every response's own time (microsecond resolution). */
    p50Exact: percentile(0.5),
    p99Exact: percentile(0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
  })}\n`,
);
