import { checkLeaseMs, type ScheduleLock } from '@weft/engine';
import type { RedisClient } from './redis-client.js';

/**
 * Options of {@link RedisScheduleLock}.
 *
 * @example
 * ```ts
 * const options: RedisScheduleLockOptions = { redis, prefix: 'acme:schedule' };
 * ```
 */
export interface RedisScheduleLockOptions {
  /** A connected ioredis client you built; never closed by the lock. */
  redis: RedisClient;
  /** Key prefix; default `weft:schedule`. Each taken key is one string `<prefix>:<key>` expiring with its lease. */
  prefix?: string;
}

/**
 * A {@link ScheduleLock} shared by every process on one Redis: one
 * `SET key 1 NX PX ttl` per call, so of any number of concurrent acquirers exactly one wins, and
 * the key expires on the server with its lease (no clean-up needed).
 *
 * @example
 * ```ts
 * const lock = new RedisScheduleLock({ redis });
 * if (await lock.acquire(`schedule:${triggerId}:${tick}`, 24 * 3600_000)) await fire(tick);
 * ```
 */
export class RedisScheduleLock implements ScheduleLock {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(options: RedisScheduleLockOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:schedule';
  }

  /** True for exactly one caller per key while the lease lasts; a `ttlMs` that is not a positive number throws. */
  async acquire(key: string, ttlMs: number): Promise<boolean> {
    checkLeaseMs('RedisScheduleLock', key, ttlMs);
    const reply = await this.#redis.set(`${this.#prefix}:${key}`, '1', 'PX', Math.ceil(ttlMs), 'NX');
    return reply === 'OK';
  }
}
