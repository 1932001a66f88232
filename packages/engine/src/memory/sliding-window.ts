import type { RateLimitResult } from '../ports/rate-limiter.js';

/** Usage of one key: window length, index of the current fixed window, its count and the previous one's. */
export interface SlidingWindowState {
  windowMs: number;
  index: number;
  current: number;
  previous: number;
}

/**
 * The sliding-window-counter step of {@link MemoryRateLimiter}; the Lua script in
 * `RedisRateLimiter` (@weft/redis) is a line-by-line copy, so both give identical results. All sums are
 * scaled by `windowMs` to stay in integers. Returns the result and the state to store (undefined
 * when nothing changed).
 *
 * @example
 * ```ts
 * const { result, next } = slidingWindow(undefined, 10, 1000, 1, Date.now());
 * ```
 */
export function slidingWindow(
  state: SlidingWindowState | undefined,
  limit: number,
  windowMs: number,
  cost: number,
  nowMs: number,
): { result: RateLimitResult; next: SlidingWindowState | undefined } {
  const w = windowMs;
  const now = Math.floor(nowMs);
  const index = Math.floor(now / w);
  let current = 0;
  let previous = 0;
  if (state && state.windowMs === w) {
    if (state.index === index) {
      current = state.current;
      previous = state.previous;
    } else if (state.index === index - 1) previous = state.current;
  }
  const elapsed = now - index * w;
  let used = previous * (w - elapsed) + current * w;
  const allowed = used + cost * w <= limit * w;
  let next: SlidingWindowState | undefined;
  let retryAfterMs = 0;
  if (allowed) {
    if (cost > 0) {
      current += cost;
      used += cost * w;
      next = { windowMs: w, index, current, previous };
    }
  } else if (current + cost <= limit) {
    retryAfterMs = w - Math.floor(((limit - current - cost) * w) / previous) - elapsed;
  } else {
    retryAfterMs = w - elapsed + (w - Math.floor(((limit - cost) * w) / current));
  }
  const remaining = Math.max(0, Math.floor((limit * w - used) / w));
  const resetMs = current > 0 ? 2 * w - elapsed : previous > 0 ? w - elapsed : 0;
  return { result: { allowed, limit, remaining, resetMs, retryAfterMs }, next };
}
