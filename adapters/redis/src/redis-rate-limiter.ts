import {
  type Clock,
  checkRateLimitRule,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
} from '@weft/engine';
import { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// A copy of slidingWindow() in @weft/engine's memory/sliding-window.ts; keep the two in step (the RateLimiter conformance suite checks it).
const consumeScript = new LuaScript(
  'weft-rate-limit-consume',
  `
local key = KEYS[1]
local limit, w, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now
if ARGV[4] ~= '' then
  now = math.floor(tonumber(ARGV[4]))
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local index = math.floor(now / w)
local current, previous = 0, 0
local h = redis.call('HMGET', key, 'w', 'i', 'c', 'p')
if tonumber(h[1]) == w then
  local i = tonumber(h[2])
  if i == index then
    current, previous = tonumber(h[3]), tonumber(h[4])
  elseif i == index - 1 then
    previous = tonumber(h[3])
  end
end
local elapsed = now - index * w
local used = previous * (w - elapsed) + current * w
local allowed = used + cost * w <= limit * w
local retryAfter = 0
if allowed then
  if cost > 0 then
    current = current + cost
    used = used + cost * w
    redis.call('HSET', key, 'w', w, 'i', index, 'c', current, 'p', previous)
    redis.call('PEXPIRE', key, 2 * w - elapsed)
  end
elseif current + cost <= limit then
  retryAfter = w - math.floor(((limit - current - cost) * w) / previous) - elapsed
else
  retryAfter = w - elapsed + (w - math.floor(((limit - cost) * w) / current))
end
local remaining = math.max(0, math.floor((limit * w - used) / w))
local reset = 0
if current > 0 then reset = 2 * w - elapsed elseif previous > 0 then reset = w - elapsed end
return { allowed and 1 or 0, remaining, reset, retryAfter }
`,
);

/**
 * Options of {@link RedisRateLimiter}.
 *
 * @example
 * ```ts
 * const options: RedisRateLimiterOptions = { redis, prefix: 'acme:rl' };
 * ```
 */
export interface RedisRateLimiterOptions {
  /** A connected ioredis client you built; never closed by the limiter. */
  redis: RedisClient;
  /** Key prefix; default `weft:rl`. Each limited key is one small hash `<prefix>:<key>` expiring after two windows. */
  prefix?: string;
  /** Where "now" comes from; default the Redis server's clock, so all processes agree. */
  clock?: Clock;
}

/**
 * A {@link RateLimiter} shared by every process on one Redis: one atomic Lua script per call
 * (sliding-window counter, O(1) memory per key), so concurrent requests can never overshoot.
 * Gives the same results as `MemoryRateLimiter` (@weft/engine).
 *
 * @example
 * ```ts
 * const limiter = new RedisRateLimiter({ redis });
 * const r = await limiter.consume(`ws:${workspaceId}`, { limit: 600, windowMs: 60_000 });
 * res.set('RateLimit', `limit=${r.limit}, remaining=${r.remaining}, reset=${Math.ceil(r.resetMs / 1000)}`);
 * if (!r.allowed) res.set('Retry-After', String(Math.ceil(r.retryAfterMs / 1000))).status(429);
 * ```
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #clock: Clock | undefined;

  constructor(options: RedisRateLimiterOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:rl';
    this.#clock = options.clock;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitResult> {
    const cost = checkRateLimitRule(key, rule);
    const reply = (await consumeScript.run(
      this.#redis,
      [`${this.#prefix}:${key}`],
      [rule.limit, rule.windowMs, cost, this.#clock ? this.#clock.now() : ''],
    )) as number[];
    const [allowed, remaining, resetMs, retryAfterMs] = reply.map(Number) as [number, number, number, number];
    return { allowed: allowed === 1, limit: rule.limit, remaining, resetMs, retryAfterMs };
  }

  async reset(key: string): Promise<void> {
    await this.#redis.del(`${this.#prefix}:${key}`);
  }
}
