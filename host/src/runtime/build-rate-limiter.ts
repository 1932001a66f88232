import { MemoryRateLimiter, type RateLimiter } from '@weft/engine';
import { type RedisClient, RedisRateLimiter } from '@weft/redis';
import type { HostConfig } from '../config/load-config.js';

/**
 * The rate limiter of API and webhook requests: shared by every process through Redis when there
 * is one, per process in memory otherwise.
 *
 * @example
 * ```ts
 * const limiter = buildRateLimiter(config, redis);
 * ```
 */
export function buildRateLimiter(config: Pick<HostConfig, 'redisPrefix'>, redis: RedisClient | undefined): RateLimiter {
  return redis ? new RedisRateLimiter({ redis, prefix: `${config.redisPrefix}:ratelimit` }) : new MemoryRateLimiter();
}
