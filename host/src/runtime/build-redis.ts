import type { Logger } from '@weft/engine';
import type { RedisClient } from '@weft/redis';
import { Cluster, Redis } from 'ioredis';
import type { HostConfig } from '../config/load-config.js';
import { redisSeeds } from '../config/scale-out-settings.js';

/**
 * Connects to Redis when `redisUrl` is set (the queue, locks, event bridge and rate limits then
 * go through it), logging connection errors instead of crashing; undefined without one. With
 * `redisCluster` it is an ioredis `Cluster` seeded with every URL of `redisUrl` (the rest of the
 * cluster is discovered), the first URL's user, password and TLS applying to every node.
 *
 * @example
 * ```ts
 * const redis = buildRedis(config, logger);
 * redis?.disconnect();
 * ```
 */
export function buildRedis(
  config: Pick<HostConfig, 'redisUrl' | 'redisCluster'>,
  logger: Logger,
): RedisClient | undefined {
  if (!config.redisUrl) return undefined;
  const redis = connectRedis(config as { redisUrl: string; redisCluster?: boolean });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  return redis;
}

/**
 * A new client for the configured Redis: a single server, or a Redis Cluster with `redisCluster`.
 *
 * @example
 * ```ts
 * const subscriber = connectRedis({ redisUrl: 'redis://10.0.0.1:6379,redis://10.0.0.2:6379', redisCluster: true });
 * ```
 */
export function connectRedis(config: { redisUrl: string; redisCluster?: boolean | undefined }): RedisClient {
  if (!config.redisCluster) return new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const seeds = redisSeeds(config.redisUrl).map((raw) => new URL(raw));
  const first = seeds[0];
  if (!first) throw new Error('WEFT_REDIS_CLUSTER needs WEFT_REDIS_URL naming at least one cluster node');
  return new Cluster(
    seeds.map((u) => ({ host: u.hostname, port: Number(u.port) || 6379 })),
    {
      redisOptions: {
        maxRetriesPerRequest: null,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
}
