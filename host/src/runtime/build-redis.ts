import type { Logger } from '@weft/engine';
import { Redis } from 'ioredis';
import type { HostConfig } from '../config/load-config.js';

/**
 * Connects to Redis when `redisUrl` is set (the queue, locks, event bridge and rate limits then
 * go through it), logging connection errors instead of crashing; undefined without one.
 *
 * @example
 * ```ts
 * const redis = buildRedis(config, logger);
 * redis?.disconnect();
 * ```
 */
export function buildRedis(config: Pick<HostConfig, 'redisUrl'>, logger: Logger): Redis | undefined {
  if (!config.redisUrl) return undefined;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  return redis;
}
