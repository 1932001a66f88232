/**
 * One limit: at most `limit` units of cost per sliding window of `windowMs`.
 *
 * @example
 * ```ts
 * const perWorkspace: RateLimitRule = { limit: 600, windowMs: 60_000 };
 * ```
 */
export interface RateLimitRule {
  /** Units allowed per window; a positive integer. */
  limit: number;
  /** Window length in ms; a positive integer. */
  windowMs: number;
  /** Units this request uses; an integer from 0 (peek) to `limit`. Default 1. */
  cost?: number;
}

/**
 * The outcome of {@link RateLimiter.consume}, with what a `RateLimit`/`Retry-After` header needs.
 *
 * @example
 * ```ts
 * const { allowed, remaining, retryAfterMs } = await limiter.consume('ws:1', { limit: 10, windowMs: 1000 });
 * ```
 */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Units still available after this request (0 when denied and used up). */
  remaining: number;
  /** Ms until the whole limit is available again (the window has no usage left). */
  resetMs: number;
  /** When denied, ms until a request of the same cost would be allowed; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * A sliding-window rate limiter (sliding-window counter: the previous fixed window's count,
 * weighted by how much of it still overlaps the sliding window, plus the current window's count).
 * `MemoryRateLimiter` serves one process; `RedisRateLimiter` (@weft/redis) shares limits between
 * processes. Both compute exactly the same results from the same clock: every implementation
 * passes `describeRateLimiterConformance` from @weft/testing. The host answers inbound requests
 * with `consume` at once (429 and `Retry-After` when denied); outbound connector calls wait
 * `retryAfterMs` and try again (`OutboundRateLimit` of @weft/connectors).
 *
 * @example
 * ```ts
 * const r = await limiter.consume(`ws:${workspaceId}`, { limit: 100, windowMs: 60_000 });
 * if (!r.allowed) res.set('Retry-After', String(Math.ceil(r.retryAfterMs / 1000))).status(429).end();
 * ```
 */
export interface RateLimiter {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitResult>;
  /** Forgets all usage of `key`. */
  reset(key: string): Promise<void>;
}

/**
 * Checks a rule and returns its cost; throws a `RangeError` naming the key and the bad field.
 *
 * @example
 * ```ts
 * const cost = checkRateLimitRule('ws:1', { limit: 10, windowMs: 1000 }); // 1
 * ```
 */
export function checkRateLimitRule(key: string, rule: RateLimitRule): number {
  const cost = rule.cost ?? 1;
  const bad = (what: string) => new RangeError(`Rate limit for "${key}": ${what}`);
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw bad(`limit must be a positive integer, got ${rule.limit}`);
  if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1) {
    throw bad(`windowMs must be a positive integer, got ${rule.windowMs}`);
  }
  if (!Number.isInteger(cost) || cost < 0 || cost > rule.limit) {
    throw bad(`cost must be an integer from 0 to limit (${rule.limit}), got ${cost}`);
  }
  return cost;
}
