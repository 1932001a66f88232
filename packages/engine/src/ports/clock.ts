/**
 * Time, injectable so tests can drive timers deterministically.
 *
 * @example
 * ```ts
 * const clock: Clock = systemClock;
 * await clock.sleep(100, AbortSignal.timeout(1000));
 * ```
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
