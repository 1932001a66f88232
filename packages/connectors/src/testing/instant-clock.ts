import type { Clock } from '@weft/engine';

/**
 * A clock for tests whose `sleep` returns at once but moves time forward and records the delay.
 *
 * @example
 * ```ts
 * const clock = new InstantClock(0);
 * await clock.sleep(500); // clock.now() === 500, clock.sleeps -> [500]
 * ```
 */
export class InstantClock implements Clock {
  sleeps: number[] = [];
  constructor(public current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.current += ms;
  }
}
