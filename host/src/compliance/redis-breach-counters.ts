import { randomUUID } from 'node:crypto';
import type { BreachCounters, BreachHit } from '@weft/compliance';
import type { RedisClient } from '@weft/redis';

/**
 * One hit, atomically: trim the slot's sorted set to the window, add the hit, count, and claim the
 * alert (a quiet key living one window) when the count reached the threshold and no alert is quiet.
 */
const HIT = `
local at = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', at - win)
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('PEXPIRE', KEYS[1], win)
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[3]) then
  local quiet = tonumber(redis.call('GET', KEYS[2]) or '0')
  if quiet <= at then
    redis.call('SET', KEYS[2], at + win, 'PX', win)
    return {n, 1}
  end
end
return {n, 0}
`;

/**
 * Breach counters in Redis, shared by every host process on it: a sorted set of hit times per
 * slot and a quiet key per alerted slot, both expiring with their window. One script call per hit.
 *
 * @example
 * ```ts
 * const detector = new BreachDetector(DEFAULT_BREACH_RULES, new RedisBreachCounters(redis, 'weft'));
 * ```
 */
export class RedisBreachCounters implements BreachCounters {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(redis: RedisClient, prefix = 'weft') {
    this.#redis = redis;
    this.#prefix = `${prefix}:breach:`;
  }

  async hit(slot: string, at: number, windowMs: number, threshold: number): Promise<BreachHit> {
    const [count, alert] = (await this.#redis.eval(
      HIT,
      2,
      `${this.#prefix}{${slot}}:hits`,
      `${this.#prefix}{${slot}}:quiet`,
      at,
      windowMs,
      threshold,
      `${at}:${randomUUID()}`,
    )) as [number, number];
    return { count, alert: alert === 1 };
  }
}
