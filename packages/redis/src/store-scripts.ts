// The Lua scripts RedisStore runs on Redis, each one atomic compare-and-set or append, and the
// signatures ioredis gives them once defined: kept apart from the store so its TypeScript reads
// as the caching and retrying around them.

// Writes `ARGV[2]` (for `ARGV[3]` milliseconds, or for good when '') only if the key still holds
// `ARGV[1]`; otherwise answers with what it holds, so the caller can apply its change again to
// that, without another read. Read first: a refusal costs one command inside the script.
export const compareAndSet = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return {0, current} end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return {1}
`;

// The same compare-and-set, written first: the write returns the value it replaced (SET … GET),
// and a value other than the one expected is put back at once within the same script, with the
// expiry its envelope records (every writer of this layout, this store and Keyv, puts one there
// when it gives a time to live). Nothing can come between, so it is as atomic as the other; a
// success costs one command inside the script instead of two, a refusal two instead of one, so it
// is used for keys that no other writer has been seen to race (a generation's record), and the
// read-first script for the others (a counter every request of an account updates).
export const writeIfUnchanged = `
local current
if ARGV[3] == '' then current = redis.call('SET', KEYS[1], ARGV[2], 'GET') else current = redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'GET') end
if current == false then current = '' end
if current == ARGV[1] then return {1} end
if current == '' then
  redis.call('DEL', KEYS[1])
else
  local expires = string.match(string.sub(current, -40), ',"expires":(%d+)}$')
  if expires then redis.call('SET', KEYS[1], current, 'PXAT', expires) else redis.call('SET', KEYS[1], current) end
end
return {0, current}
`;

// Appends the items ARGV[1] (a JSON array) to the list in chunks of ARGV[2] under the prefix ARGV[6]
// (its count at KEYS[1]), as GenerationStore does under a lock, each chunk written for ARGV[3]
// milliseconds with the envelope's expiry ARGV[4] ('' for neither). Items are unique (generation
// ids): a list that already ends with the last one had this append already (a script sent again
// after its reply was lost), and is left as it is. When ARGV[5] names a lock (an instance of the
// earlier layout appending under it, during a rolling upgrade), nothing is written while it is held (0).
export const appendToChunks = `
if ARGV[5] ~= '' and redis.call('EXISTS', ARGV[5]) == 1 then return 0 end
local stored = redis.call('GET', KEYS[1])
local count = 0
if stored then count = tonumber(cjson.decode(stored).value) or 0 end
local items = cjson.decode(ARGV[1])
local size = tonumber(ARGV[2])
local chunk = {}
if count > 0 then
  local raw = redis.call('GET', ARGV[6] .. math.floor((count - 1) / size))
  if raw then
    local last = cjson.decode(raw).value
    if last[#last] == items[#items] then return 1 end
    if count % size ~= 0 then chunk = last end
  end
end
local tail = '}'
if ARGV[4] ~= '' then tail = ',"expires":' .. ARGV[4] .. '}' end
local next = 1
while next <= #items do
  local room = size - (count % size)
  local added = 0
  while next <= #items and added < room do
    chunk[#chunk + 1] = items[next]
    next = next + 1
    added = added + 1
  end
  local key = ARGV[6] .. math.floor(count / size)
  local value = '{"value":' .. cjson.encode(chunk) .. tail
  if ARGV[3] == '' then redis.call('SET', key, value) else redis.call('SET', key, value, 'PX', ARGV[3]) end
  count = count + added
  chunk = {}
end
redis.call('SET', KEYS[1], '{"value":' .. count .. '}')
return 1
`;

// Adds ARGV[1] to the number at KEYS[1] in the envelope form (an `update` wrote it so) unless the
// sum passes ARGV[2], writing it for ARGV[3] milliseconds with the envelope's expiry ARGV[5]; a value
// whose envelope expired by ARGV[4] counts as absent, as a read would find it.
export const addWithin = `
local stored = redis.call('GET', KEYS[1])
local used = 0
if stored then
  local envelope = cjson.decode(stored)
  if type(envelope) == 'number' then used = envelope
  elseif not (type(envelope.expires) == 'number' and envelope.expires <= tonumber(ARGV[4])) then used = tonumber(envelope.value) or 0 end
end
local total = used + tonumber(ARGV[1])
if total > tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], '{"value":' .. total .. '}')
else
  redis.call('SET', KEYS[1], '{"value":' .. total .. ',"expires":' .. ARGV[5] .. '}', 'PX', ARGV[3])
end
return 1
`;

export type CompareAndSet = (key: string, expected: string, next: string, ttl: string) => Promise<[0, string] | [1]>;
export type AddWithin = (key: string, amount: string, limit: string, ttl: string, now: string, expires: string) => Promise<number>;
export type AppendToChunks = (count: string, items: string, chunkSize: string, ttl: string, expires: string, lock: string, prefix: string) => Promise<number>;
