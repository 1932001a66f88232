import { type Clock, systemClock } from '@weft/engine';

/**
 * Makes each schedule tick fire in exactly one process: the first `acquire` of a key wins until
 * the lease expires. Redis (`SET NX PX`) and SQL (insert into a unique key) implementations come
 * with the adapters; {@link MemoryScheduleLock} serves one process and tests.
 *
 * @example
 * ```ts
 * if (await lock.acquire(`schedule:${triggerId}:${tick}`, 24 * 3600_000)) await fire(tick);
 * ```
 */
export interface ScheduleLock {
  /** True for exactly one caller per key while the lease lasts. */
  acquire(key: string, ttlMs: number): Promise<boolean>;
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
    const now = this.#clock.now();
    for (const [k, until] of this.#leases) if (until <= now) this.#leases.delete(k);
    if (this.#leases.has(key)) return false;
    this.#leases.set(key, now + ttlMs);
    return true;
  }
}
