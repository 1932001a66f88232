/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^retry)].
 *
 * @example
 * ```ts
 * backoffDelay(2, 100, 10_000); // somewhere in 0..400 ms
 * ```
 */
export function backoffDelay(retry: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** retry));
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `now`, or
 * undefined when absent or unparseable.
 *
 * @example
 * ```ts
 * parseRetryAfter('3', Date.now()); // 3000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
