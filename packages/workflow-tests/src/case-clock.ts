import type { Clock } from '@weft/engine';

/**
 * A test case's clock: it starts at the case's `now` and moves only when something sleeps, by
 * exactly the time slept, at once. Retries' backoff and waits take no real time, and `$now` is
 * the same on every run of the case.
 *
 * @example
 * ```ts
 * const clock = new CaseClock(Date.UTC(2026, 0, 1));
 * await clock.sleep(60_000); // returns at once; clock.now() is one minute later
 * ```
 */
export class CaseClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#now += Math.max(0, ms);
  }

  /** Moves the clock to `at` when that is later (a parked timer coming due). */
  advanceTo(at: number): void {
    this.#now = Math.max(this.#now, at);
  }
}

/**
 * A seeded random source (mulberry32): the same seed gives the same sequence.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // the same number on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
