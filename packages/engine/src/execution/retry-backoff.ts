import type { RetryPolicy } from '../model/workflow-schema.js';

/**
 * Delay before retry number `retry` (1 for the first retry): exponential backoff with full
 * jitter, `random() * min(cap, base * 2^(retry-1))`.
 *
 * @example
 * ```ts
 * backoffDelay({ attempts: 5, baseMs: 100, capMs: 2000 }, 3, Math.random); // somewhere in [0, 400)
 * ```
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const base = policy.baseMs ?? 1000;
  const cap = policy.capMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
