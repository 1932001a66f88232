import type { Clock } from '../ports/clock.js';
import {
  checkRateLimitRule,
  type RateLimiter,
  type RateLimitResult,
  type RateLimitRule,
} from '../ports/rate-limiter.js';
import { type SlidingWindowState, slidingWindow } from './sliding-window.js';
import { systemClock } from './system-clock.js';

/**
 * A {@link RateLimiter} in process memory, for a single host process (or tests). Same algorithm and
 * results as `RedisRateLimiter` (@weft/redis); keys idle for two windows are swept as new keys arrive.
 *
 * @example
 * ```ts
 * const limiter = new MemoryRateLimiter();
 * const r = await limiter.consume('api-key:k1', { limit: 5, windowMs: 1000 });
 * r.allowed; // true for the first five calls within a second
 * ```
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #states = new Map<string, SlidingWindowState>();
  readonly #clock: Clock;
  #nextSweepAt = 1024;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitResult> {
    const cost = checkRateLimitRule(key, rule);
    const now = this.#clock.now();
    const { result, next } = slidingWindow(this.#states.get(key), rule.limit, rule.windowMs, cost, now);
    if (next) {
      this.#states.set(key, next);
      if (this.#states.size >= this.#nextSweepAt) this.#sweep(now);
    }
    return result;
  }

  async reset(key: string): Promise<void> {
    this.#states.delete(key);
  }

  /** Keys currently tracked (after sweeping idle ones lazily). */
  get size(): number {
    return this.#states.size;
  }

  #sweep(now: number) {
    for (const [key, s] of this.#states) {
      if (Math.floor(now / s.windowMs) > s.index + 1) this.#states.delete(key);
    }
    this.#nextSweepAt = Math.max(1024, this.#states.size * 2);
  }
}
