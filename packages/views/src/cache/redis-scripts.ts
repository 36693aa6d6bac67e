// Lua scripts run by RedisCache: each is one atomic round trip.

/**
 * DRF's throttle history as a Redis list, newest first.
 * KEYS[1] history; ARGV now_ms (-1: the server's clock), duration_ms, limit
 * → {allowed, count, oldest|false, now}.
 */
export const HIT_WINDOW = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local stamp = string.format('%d', now)
local duration = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local floor = now - duration
while true do
  local last = redis.call('LINDEX', KEYS[1], -1)
  if not last or tonumber(last) > floor then break end
  redis.call('RPOP', KEYS[1])
end
local len = redis.call('LLEN', KEYS[1])
if len >= limit then
  return {0, len, redis.call('LINDEX', KEYS[1], -1), stamp}
end
redis.call('LPUSH', KEYS[1], stamp)
redis.call('PEXPIRE', KEYS[1], duration)
return {1, len + 1, redis.call('LINDEX', KEYS[1], -1), stamp}
`;

/**
 * HIT_WINDOW for several histories in one round trip (every throttle of a request),
 * in order, judged at one server TIME. KEYS[i] history i; ARGV[3i-2..3i] its
 * now_ms (-1: the server's clock), duration_ms, limit → {allowed, count, oldest|false, now} per key, flat.
 */
export const HIT_WINDOWS = `
local out = {}
local server = nil
for i = 1, #KEYS do
  local now = tonumber(ARGV[3 * i - 2])
  if now < 0 then
    if not server then
      local t = redis.call('TIME')
      server = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    now = server
  end
  local stamp = string.format('%d', now)
  local duration = tonumber(ARGV[3 * i - 1])
  local limit = tonumber(ARGV[3 * i])
  local floor = now - duration
  while true do
    local last = redis.call('LINDEX', KEYS[i], -1)
    if not last or tonumber(last) > floor then break end
    redis.call('RPOP', KEYS[i])
  end
  local len = redis.call('LLEN', KEYS[i])
  local allowed = 0
  if len < limit then
    redis.call('LPUSH', KEYS[i], stamp)
    redis.call('PEXPIRE', KEYS[i], duration)
    len = len + 1
    allowed = 1
  end
  local base = 4 * (i - 1)
  out[base + 1] = allowed
  out[base + 2] = len
  out[base + 3] = redis.call('LINDEX', KEYS[i], -1)
  out[base + 4] = stamp
end
return out
`;

/**
 * SET with tags. KEYS[1] the entry, KEYS[2..] tag sets; ARGV value, ttl_ms (0 = none).
 * A tag set lives as long as its longest-lived entry.
 */
export const SET_TAGGED = `
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if ttl > 0 then
    local left = redis.call('PTTL', KEYS[i])
    if left ~= -1 and left < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
    if left == -1 and redis.call('SCARD', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ttl) end
  else
    redis.call('PERSIST', KEYS[i])
  end
end
return 1
`;

/** Deletes every member of the tag sets KEYS[..] and the sets; returns entries deleted. */
export const INVALIDATE_TAGS = `
local n = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    n = n + redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
return n
`;

/** INCRBY that sets the expiry only on creation. KEYS[1]; ARGV by, ttl_ms (0 = none). */
export const INCR = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
`;
