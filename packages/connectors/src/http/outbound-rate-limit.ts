import type { Clock, RateLimiter, RateLimitRule } from '@weft/engine';

/**
 * Outbound rate limits, keyed (by credential `cred:<id>`, or a request's `rateLimitKey`): a
 * {@link RateLimiter} (`MemoryRateLimiter` of @weft/engine within one process, `RedisRateLimiter`
 * of @weft/redis shared between processes) and the rule of each key. A call that is over its
 * limit waits until the limiter says it may go.
 *
 * @example
 * ```ts
 * const rateLimit: OutboundRateLimit = {
 *   limiter: new MemoryRateLimiter(),
 *   rule: (key) => (key === 'cred:vip' ? { limit: 500, windowMs: 60_000 } : { limit: 50, windowMs: 60_000 }),
 * };
 * const http = createHttpClient({ rateLimit });
 * ```
 */
export interface OutboundRateLimit {
  limiter: RateLimiter;
  /** The rule for every key, or per key; undefined leaves a key unlimited. */
  rule: RateLimitRule | ((key: string) => RateLimitRule | undefined);
}

/**
 * Resolves when one request for `key` may go under `limits`, sleeping on `clock` for the
 * limiter's `retryAfterMs` as often as needed; rejects if `signal` aborts first.
 *
 * @example
 * ```ts
 * await waitForRateLimit(rateLimit, `cred:${credential.id}`, systemClock, signal);
 * ```
 */
export async function waitForRateLimit(
  limits: OutboundRateLimit,
  key: string,
  clock: Clock,
  signal?: AbortSignal,
): Promise<void> {
  const rule = typeof limits.rule === 'function' ? limits.rule(key) : limits.rule;
  if (!rule) return;
  for (;;) {
    signal?.throwIfAborted();
    const r = await limits.limiter.consume(key, rule);
    if (r.allowed) return;
    await clock.sleep(Math.max(1, r.retryAfterMs), signal);
  }
}
