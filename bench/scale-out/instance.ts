/**
 * One Doitong instance of the scale-out benchmark, in its own process: the `redis()` option group
 * on the benchmark's Redis, the sandbox's descriptions with a provider that accepts a job and has
 * it finished at the first poll (so every generation goes through submit, one poll, the output's
 * storage and settlement), served over HTTP on a loopback port. Reports to the parent over IPC:
 * its port once listening, each completion as it happens, and on request how many writes it made
 * to Redis's socket (each write is one round trip, a pipeline included).
 */
import { createServer } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { createDoitong, silentLogger } from '@doitong/core';
import { redis } from '@doitong/redis';
import { firstPollProviders } from '../one-pixel.ts';

const redisUrl = process.env.BENCH_REDIS_URL!;
const prefix = process.env.BENCH_PREFIX!;
const redisPort = Number(new URL(redisUrl).port || 6379);

// Round trips: every write to a socket connected to Redis's port. ioredis and node-redis both
// write a pipeline (or an auto-pipelined batch) in one write.
let redisWrites = 0;
const write = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
  if (this.remotePort === redisPort) redisWrites++;
  return write.apply(this, args);
} as Socket['write'];

const providers = firstPollProviders();

const doitong = createDoitong({
  providers,
  logger: silentLogger,
  graphiql: false,
  assets: { directory: process.env.BENCH_ASSETS! },
  assetSecret: 'shared-by-the-benchmark-instances',
  ...redis({ url: redisUrl, prefix, queue: { name: 'jobs', prefix: `${prefix}bull` } }),
});
doitong.on('generation.completed', (generation) => process.send!({ type: 'completed', id: generation.id, at: performance.timeOrigin + performance.now() }));

const server = createServer(doitong.nodeListener());
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as AddressInfo).port }));

process.on('message', async (message: { type: string }) => {
  if (message.type === 'writes') process.send!({ type: 'writes', writes: redisWrites });
  if (message.type === 'close') {
    server.close();
    server.closeAllConnections();
    await doitong.close();
    process.exit(0);
  }
});
