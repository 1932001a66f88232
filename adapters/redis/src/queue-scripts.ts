import { LuaScript } from './lua-script.js';

/*
 * Key layout under `base` (which carries a `{hash tag}`, so every key lands in one cluster slot):
 *   seq      INCR counter for job ids and dead-letter order
 *   ready    ZSET score -priority, member "<runAt:16>:<id:16>" (ties: earlier runAt, then enqueue order)
 *   delayed  ZSET score runAt, member id
 *   leased   ZSET score leaseUntil, member id
 *   dedupe   HASH dedupeKey -> id
 *   dead     ZSET score order, member id
 *   job:<id> HASH job, pri, enq, attempt, runAt, state (ready|delayed|leased|dead), m, token, until, error, failedAt
 *   wake     pub/sub channel; the message is the delay in ms before the placed job is due (see place())
 * Every script gets KEYS = [seq, ready, delayed, leased, dedupe, dead] and ARGV[1] = base,
 * ARGV[2] = now in epoch ms, or '' to use the server's clock.
 */
const prelude = `
local base = ARGV[1]
local K_SEQ, K_READY, K_DELAYED, K_LEASED, K_DEDUPE, K_DEAD = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function jobKey(id) return base .. 'job:' .. id end
local function clampTime(ms)
  ms = math.floor(tonumber(ms))
  if ms < 0 then return 0 end
  if ms > 9999999999999999 then return 9999999999999999 end
  return ms
end
-- Publishes only when a sleeping waiter could not know: the ready set was empty, or the job is due
-- before every delayed one. Waiters check the ready set and the next due time before sleeping.
-- extra: more field/value pairs for the job's hash, written by the same HSET.
local readyFilled = false
local function place(id, runAt, pri, extra)
  extra = extra or {}
  local jk = jobKey(id)
  if runAt > now then
    local head = redis.call('ZRANGE', K_DELAYED, 0, 0, 'WITHSCORES')
    redis.call('ZADD', K_DELAYED, runAt, id)
    redis.call('HSET', jk, 'state', 'delayed', 'runAt', runAt, unpack(extra))
    if not head[2] or runAt < tonumber(head[2]) then redis.call('PUBLISH', base .. 'wake', runAt - now) end
  else
    -- After one job placed here, this run knows the ready set is not empty: one ZCARD per run.
    local idle = not readyFilled and redis.call('ZCARD', K_READY) == 0
    readyFilled = true
    local m = string.format('%016d:%016d', runAt, tonumber(id))
    redis.call('ZADD', K_READY, -pri, m)
    redis.call('HSET', jk, 'state', 'ready', 'runAt', runAt, 'm', m, unpack(extra))
    if idle then redis.call('PUBLISH', base .. 'wake', 0) end
  end
end
-- id: one taken from K_SEQ already (a dedupe claim), else a new one.
local function newJob(jobJson, runAt, pri, dedupe, id)
  id = id or tostring(redis.call('INCR', K_SEQ))
  local extra = { 'job', jobJson, 'pri', pri, 'enq', now, 'attempt', 0 }
  if dedupe then
    extra[#extra + 1] = 'dedupe'
    extra[#extra + 1] = dedupe
  end
  place(id, runAt, pri, extra)
  return id
end
local function unlease(id, h)
  redis.call('ZREM', K_LEASED, id)
  if h.state == 'ready' then redis.call('ZREM', K_READY, h.m) end
  redis.call('HDEL', jobKey(id), 'token', 'until')
end
local function owned(id, token)
  local h = redis.call('HMGET', jobKey(id), 'token', 'state', 'm', 'pri', 'dedupe')
  if h[1] ~= token or h[2] == 'dead' then return nil end
  return { state = h[2], m = h[3], pri = tonumber(h[4]), dedupe = h[5] }
end
local function forgetDedupe(id, h)
  if h.dedupe and redis.call('HGET', K_DEDUPE, h.dedupe) == id then redis.call('HDEL', K_DEDUPE, h.dedupe) end
end
`;

const script = (name: string, body: string) => new LuaScript(`weft-queue-${name}`, prelude + body);

/**
 * ARGV[3..] = one or more groups of job JSON, runAt ('' = now), priority, dedupe key ('');
 * enqueued in order. Returns a list of {id, duplicate 0|1}, one per job.
 */
export const enqueueScript = script(
  'enqueue',
  `
local out = {}
for i = 3, #ARGV, 4 do
  local dedupe = ARGV[i + 3]
  local id, existing = nil, nil
  if dedupe ~= '' then
    -- The usual case (a new key) in one HSETNX; a key held by a dead or vanished job is taken over.
    id = tostring(redis.call('INCR', K_SEQ))
    if redis.call('HSETNX', K_DEDUPE, dedupe, id) == 0 then
      existing = redis.call('HGET', K_DEDUPE, dedupe)
      local state = redis.call('HGET', jobKey(existing), 'state')
      if not state or state == 'dead' then
        redis.call('HSET', K_DEDUPE, dedupe, id)
        existing = nil
      end
    end
  end
  if existing then
    out[#out + 1] = { existing, 1 }
  else
    local runAt = now
    if ARGV[i + 1] ~= '' then runAt = clampTime(ARGV[i + 1]) end
    id = newJob(ARGV[i], runAt, tonumber(ARGV[i + 2]), dedupe ~= '' and dedupe or nil, id)
    out[#out + 1] = { id, 0 }
  end
end
return out
`,
);

/**
 * ARGV[3..6] = leaseMs, max, workerId, nonce. Promotes due delayed jobs and lapsed leases to
 * ready, then leases the first `max` ready jobs. Returns a list of {id, job, attempt, until, token}.
 */
export const claimScript = script(
  'claim',
  `
local leaseMs, max = tonumber(ARGV[3]), tonumber(ARGV[4])
-- A hash deleted behind our back (e.g. by hand) leaves an orphaned index entry: drop it, never fail on it.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', K_DELAYED, id)
  local h = redis.call('HMGET', jobKey(id), 'runAt', 'pri')
  if h[1] and h[2] then
    local m = string.format('%016d:%016d', tonumber(h[1]), tonumber(id))
    redis.call('ZADD', K_READY, -tonumber(h[2]), m)
    redis.call('HSET', jobKey(id), 'state', 'ready', 'm', m)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_LEASED, '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', K_LEASED, id)
  local h = redis.call('HMGET', jobKey(id), 'm', 'pri')
  if h[1] and h[2] then
    redis.call('ZADD', K_READY, -tonumber(h[2]), h[1])
    redis.call('HSET', jobKey(id), 'state', 'ready')
  end
end
local out = {}
if max < 1 then return out end
-- ZPOPMIN takes the first max in ZRANGE order (score, then member) in one command.
local popped = redis.call('ZPOPMIN', K_READY, max)
local untilMs = now + leaseMs
local leased = {}
for i = 1, #popped, 2 do
  local id = string.match(string.sub(popped[i], 18), '^0*(%d+)$')
  local jk = jobKey(id)
  local h = redis.call('HMGET', jk, 'job', 'attempt')
  if h[1] then
    local attempt = (tonumber(h[2]) or 0) + 1
    local token = ARGV[5] .. ':' .. id .. ':' .. attempt .. ':' .. ARGV[6]
    redis.call('HSET', jk, 'state', 'leased', 'token', token, 'until', untilMs, 'attempt', attempt)
    leased[#leased + 1] = untilMs
    leased[#leased + 1] = id
    out[#out + 1] = { id, h[1], attempt, untilMs, token }
  end
end
if #leased > 0 then redis.call('ZADD', K_LEASED, unpack(leased)) end
return out
`,
);

/** ARGV[3..5] = id, token, leaseMs. Returns the new lease end, or 0 when the token is not the job's current one or its lease lapsed. */
export const extendScript = script(
  'extend',
  `
local id = ARGV[3]
local h = owned(id, ARGV[4])
if not h then return 0 end
-- a lapsed lease cannot be extended, even while nobody has claimed the job again
if h.state ~= 'leased' then return 0 end
local leasedUntil = tonumber(redis.call('HGET', jobKey(id), 'until'))
if not leasedUntil or leasedUntil <= now then return 0 end
local untilMs = now + tonumber(ARGV[5])
redis.call('HSET', jobKey(id), 'state', 'leased', 'until', untilMs)
redis.call('ZADD', K_LEASED, untilMs, id)
return untilMs
`,
);

/** ARGV[3..] = one or more pairs of id, token. Returns a list with 1 for each job removed, 0 for a stale token. */
export const ackScript = script(
  'ack',
  `
local out = {}
local ids, hashes, dedupes = {}, {}, {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  local h = owned(id, ARGV[i + 1])
  if h then
    -- unlease() without clearing fields of a hash deleted next
    if h.state == 'ready' then redis.call('ZREM', K_READY, h.m) end
    ids[#ids + 1] = id
    hashes[#hashes + 1] = jobKey(id)
    -- A live job's dedupe key points at it (enqueue takes a key over only from a dead or vanished
    -- job, and owned() excludes both), so no HGET to check first.
    if h.dedupe then dedupes[#dedupes + 1] = h.dedupe end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
-- One command each for the whole batch (in chunks that stay within Lua's unpack limit).
local function each(cmd, key, list)
  for i = 1, #list, 1000 do
    local chunk = { unpack(list, i, math.min(i + 999, #list)) }
    if key then redis.call(cmd, key, unpack(chunk)) else redis.call(cmd, unpack(chunk)) end
  end
end
each('ZREM', K_LEASED, ids)
each('HDEL', K_DEDUPE, dedupes)
each('DEL', nil, hashes)
return out
`,
);

/** ARGV[3..6] = id, token, runAt ('' = now), error (''). Returns 1 when the job was put back. */
export const retryScript = script(
  'retry',
  `
local id = ARGV[3]
local h = owned(id, ARGV[4])
if not h then return 0 end
unlease(id, h)
if ARGV[6] ~= '' then redis.call('HSET', jobKey(id), 'error', ARGV[6]) end
local runAt = now
if ARGV[5] ~= '' then runAt = clampTime(ARGV[5]) end
place(id, runAt, h.pri)
return 1
`,
);

/** ARGV[3..5] = id, token, error. Returns 1 when the job moved to the dead-letter set. */
export const deadLetterScript = script(
  'dead-letter',
  `
local id = ARGV[3]
local h = owned(id, ARGV[4])
if not h then return 0 end
unlease(id, h)
forgetDedupe(id, h)
redis.call('HDEL', jobKey(id), 'm', 'dedupe')
redis.call('HSET', jobKey(id), 'state', 'dead', 'error', ARGV[5], 'failedAt', now)
redis.call('ZADD', K_DEAD, redis.call('INCR', K_SEQ), id)
return 1
`,
);

/** ARGV[3] = limit. Returns a list of {id, job, attempt, error, failedAt}, oldest first. */
export const listDeadScript = script(
  'list-dead',
  `
local out = {}
for _, id in ipairs(redis.call('ZRANGE', K_DEAD, 0, tonumber(ARGV[3]) - 1)) do
  local h = redis.call('HMGET', jobKey(id), 'job', 'attempt', 'error', 'failedAt')
  out[#out + 1] = { id, h[1], h[2], h[3], h[4] }
end
return out
`,
);

/** ARGV[3] = id. Re-enqueues the dead letter as a new job (priority 0, due now); returns its id or false. */
export const replayDeadScript = script(
  'replay-dead',
  `
local id = ARGV[3]
if redis.call('ZREM', K_DEAD, id) == 0 then return false end
local job = redis.call('HGET', jobKey(id), 'job')
redis.call('DEL', jobKey(id))
return newJob(job, now, 0)
`,
);

/** ARGV[3] = id. Returns 1 when the dead letter existed. */
export const discardDeadScript = script(
  'discard-dead',
  `
local id = ARGV[3]
if redis.call('ZREM', K_DEAD, id) == 0 then return 0 end
redis.call('DEL', jobKey(id))
return 1
`,
);

/** Returns {ready, delayed, running, deadLetters, oldestReadyAgeMs}, counting lapsed leases and due delayed jobs as ready. */
export const statsScript = script(
  'stats',
  `
local lapsed = redis.call('ZCOUNT', K_LEASED, '-inf', now)
local due = redis.call('ZCOUNT', K_DELAYED, '-inf', now)
local ready = redis.call('ZCARD', K_READY) + lapsed + due
local running = redis.call('ZCARD', K_LEASED) - lapsed
local delayed = redis.call('ZCARD', K_DELAYED) - due
local oldest = now
local firstDue = redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1)
if firstDue[2] then oldest = math.min(oldest, tonumber(firstDue[2])) end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_LEASED, '-inf', now, 'LIMIT', 0, 1000)) do
  local runAt = tonumber(redis.call('HGET', jobKey(id), 'runAt'))
  if runAt then oldest = math.min(oldest, runAt) end
end
local head = redis.call('ZRANGE', K_READY, 0, 0, 'WITHSCORES')
local levels = 0
while head[1] and levels < 1000 do
  oldest = math.min(oldest, tonumber(string.sub(head[1], 1, 16)))
  head = redis.call('ZRANGEBYSCORE', K_READY, '(' .. head[2], '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  levels = levels + 1
end
return { ready, delayed, running, redis.call('ZCARD', K_DEAD), now - oldest }
`,
);

/** Returns 0 when a job is claimable now, the ms until the next delayed job or lease end, or -1 when the queue is idle. */
export const nextDueScript = script(
  'next-due',
  `
if redis.call('ZCARD', K_READY) > 0 then return 0 end
local best = -1
for _, key in ipairs({ K_DELAYED, K_LEASED }) do
  local head = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if head[2] then
    local wait = math.max(0, tonumber(head[2]) - now)
    if best < 0 or wait < best then best = wait end
  end
end
return best
`,
);
