import type { ServerResponse } from 'node:http';
import type { RateLimiter } from '@weft/engine';
import { ProblemError } from './problem.js';

/**
 * Consumes one request from a named hourly budget and sets the IETF `RateLimit-Policy` /
 * `RateLimit` headers; throws a 429 problem with `Retry-After` when the budget is spent.
 *
 * @example
 * ```ts
 * await applyRateLimit(limiter, res, 'workspace', `ws:${id}`, 5000, 3_600_000);
 * ```
 */
export async function applyRateLimit(
  limiter: RateLimiter,
  res: ServerResponse,
  policy: string,
  key: string,
  limit: number,
  windowMs: number,
): Promise<void> {
  const r = await limiter.consume(key, { limit, windowMs });
  const w = Math.round(windowMs / 1000);
  res.appendHeader('RateLimit-Policy', `"${policy}";q=${limit};w=${w}`);
  res.appendHeader('RateLimit', `"${policy}";r=${Math.max(0, r.remaining)};t=${Math.ceil(r.resetMs / 1000)}`);
  if (!r.allowed) {
    const retry = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    throw new ProblemError(
      429,
      'rate-limited',
      `Rate limit of ${limit} requests per ${w} s (${policy}) reached; retry in ${retry} s`,
      {
        headers: { 'Retry-After': String(retry) },
      },
    );
  }
}
