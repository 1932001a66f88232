import type { Cluster, Redis } from 'ioredis';

/**
 * The ioredis client every class of this package takes: a single server (`Redis`) or a Redis
 * Cluster (`Cluster`). On a cluster, each class keeps the keys one command or script touches in
 * one hash slot: queue keys share `{<queue name>}`, cache entries `{<group>}`, realtime counters
 * `{<workspace>}`; locks, rate limits and event streams touch one key per command.
 *
 * @example
 * ```ts
 * import { Cluster } from 'ioredis';
 * const redis: RedisClient = new Cluster([{ host: '10.0.0.1', port: 6379 }], { redisOptions: { maxRetriesPerRequest: null } });
 * const queue = new RedisQueue({ redis, name: 'executions' });
 * ```
 */
export type RedisClient = Redis | Cluster;
