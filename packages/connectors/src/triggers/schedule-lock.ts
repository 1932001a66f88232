import { type Clock, systemClock } from '@weft/engine';

/**
 * Makes each schedule tick fire in exactly one process: the first `acquire` of a key wins until
 * the lease expires. `RedisScheduleLock` (@weft/redis, `SET NX PX`) and the host's SQL lock (a row
 * under a unique key) serve several processes; {@link MemoryScheduleLock} one process and tests.
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
 * Throws unless `ttlMs` is a positive, finite number of milliseconds, naming the lock and key.
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

/**
 * In-memory {@link ScheduleLock}; expired leases are pruned as new ones are taken.
 *
 * @example
 * ```ts
 * const lock = new MemoryScheduleLock();
 * await lock.acquire('schedule:t1:1700000000000', 60_000); // true, then false for others
 * ```
 */
export class MemoryScheduleLock implements ScheduleLock {
  readonly #leases = new Map<string, number>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async acquire(key: string, ttlMs: number): Promise<boolean> {
    checkLeaseMs('MemoryScheduleLock', key, ttlMs);
    const now = this.#clock.now();
    for (const [k, until] of this.#leases) if (until <= now) this.#leases.delete(k);
    if (this.#leases.has(key)) return false;
    this.#leases.set(key, now + ttlMs);
    return true;
  }
}
