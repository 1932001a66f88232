import { type Clock, systemClock } from '@weft/engine';

/**
 * Outbound rate limits, keyed (by credential id, by host, ...). A Redis implementation can share
 * limits between processes; {@link MemoryRateLimiter} limits within one.
 *
 * @example
 * ```ts
 * await limiter.acquire(`cred:${credential.id}`, signal); // waits for a slot
 * ```
 */
export interface RateLimiter {
  /** Resolves when one request for `key` may go; rejects if `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
}

/**
 * Options of {@link MemoryRateLimiter}.
 *
 * @example
 * ```ts
 * new MemoryRateLimiter({ limit: 50, intervalMs: 60_000, perKey: (k) => (k === 'cred:vip' ? { limit: 500 } : undefined) });
 * ```
 */
export interface MemoryRateLimiterOptions {
  /** Requests per `intervalMs` on average. */
  limit: number;
  /** Default 1000 ms. */
  intervalMs?: number;
  /** Requests allowed in a burst. Default `limit`. */
  burst?: number;
  /** Per-key overrides, e.g. a credential with a higher plan. */
  perKey?: (key: string) => { limit: number; intervalMs?: number; burst?: number } | undefined;
  clock?: Clock;
}

/**
 * A token bucket per key, in memory.
 *
 * @example
 * ```ts
 * const limiter = new MemoryRateLimiter({ limit: 10, intervalMs: 1000 });
 * await limiter.acquire('cred:42');
 * ```
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #options: MemoryRateLimiterOptions;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: MemoryRateLimiterOptions) {
    if (!(options.limit > 0)) throw new Error('MemoryRateLimiter: limit must be a positive number');
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    const o = { ...this.#options, ...this.#options.perKey?.(key) };
    const interval = o.intervalMs ?? 1000;
    const burst = o.burst ?? o.limit;
    const perMs = o.limit / interval;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
      b.at = now;
      this.#buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil((1 - b.tokens) / perMs), signal);
    }
  }
}
