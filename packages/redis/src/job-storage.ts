// How RedisJobQueue keeps its jobs on Redis: the key layout and the Lua scripts that take and count
// jobs atomically, the stored form of a job, and the pipeline helper, kept apart from the
// queue so its TypeScript reads as the scheduling around them.
import type { JsonObject } from '@doitong/core';
import type { Redis } from 'ioredis';

// One sorted set says when each job may next run: its due time while it waits, the end of its
// lease while an instance runs it. A job whose instance died is therefore simply due again when
// its lease ends, and any instance takes it. One hash holds each job's name, data and attempts
// under its id; an id present there is a job waiting or running, which is what `key` needs.
// A due time is a whole millisecond and a lease ends on a half one, so `counts()` tells running
// jobs from delayed ones without a key of its own, and costs a job no command.

// Takes up to ARGV[3] jobs due by ARGV[1], leasing each until ARGV[2].
export const takeScript = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
if #ids == 0 then return {} end
local leases = {}
for index, id in ipairs(ids) do
  leases[#leases + 1] = ARGV[2]
  leases[#leases + 1] = id
end
redis.call('ZADD', KEYS[1], 'XX', unpack(leases))
local jobs = redis.call('HMGET', KEYS[2], unpack(ids))
local result = {}
for index, id in ipairs(ids) do
  result[#result + 1] = id
  result[#result + 1] = jobs[index] or ''
end
return result
`;

// Due by ARGV[1] (leases that ended included: their jobs wait to be taken over) is waiting; later,
// a score on a half millisecond is a lease, and leases end by ARGV[2], so only that stretch is read.
export const countScript = `
local waiting = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
local later = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local near = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], ARGV[2], 'WITHSCORES')
local active = 0
for index = 2, #near, 2 do
  if tonumber(near[index]) % 1 ~= 0 then active = active + 1 end
end
return { waiting, active, later - active }
`;

/** How far ahead of this one another instance's clock may be when it sets a lease. */
export const clockSkewMilliseconds = 60_000;

/** Runs a pipeline, throwing its first command's error (ioredis reports them per command); resolves with the replies, in order. */
export async function executed(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error);
  if (failure) throw failure[0];
  return results.map(([, reply]) => reply);
}

export interface StoredJob {
  /** Job name. */
  n: string;
  /** Its data. */
  d: JsonObject;
  /** Runs that failed so far. */
  a: number;
}

export type QueueClient = Redis & {
  doitongTakeJobs?: (due: string, jobs: string, now: number, leaseUntil: number, count: number) => Promise<string[]>;
  doitongCountJobs?: (due: string, now: number, leasesEndBy: number) => Promise<[number, number, number]>;
};
