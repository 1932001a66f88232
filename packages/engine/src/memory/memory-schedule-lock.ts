import type { Clock } from '../ports/clock.js';
import { checkLeaseMs, type ScheduleLock } from '../ports/schedule-lock.js';
import { systemClock } from './system-clock.js';

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
