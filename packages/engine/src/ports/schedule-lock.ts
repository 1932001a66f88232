/**
 * Makes each schedule tick fire in exactly one process: the first `acquire` of a key wins until
 * the lease expires. `RedisScheduleLock` (@weft/redis, `SET NX PX`) and the host's SQL lock (a row
 * under a unique key) serve several processes; `MemoryScheduleLock` one process and tests.
 * Every implementation passes `describeScheduleLockConformance` from @weft/testing.
 *
 * @example
 * ```ts
 * if (await lock.acquire(`schedule:${triggerId}:${tick}`, 24 * 3600_000)) await fire(tick);
 * ```
 */
export interface ScheduleLock {
  /** True for exactly one caller per key while the lease lasts; a `ttlMs` that is not a positive number throws. */
  acquire(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * Throws unless `ttlMs` is a positive, finite number of milliseconds, naming the lock and key:
 * the check every {@link ScheduleLock} makes before it takes a lease.
 *
 * @example
 * ```ts
 * checkLeaseMs('MemoryScheduleLock', key, ttlMs);
 * ```
 */
export function checkLeaseMs(lock: string, key: string, ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new Error(`${lock}: the lease (ttlMs) for "${key}" must be a positive number of milliseconds, got ${ttlMs}`);
}
