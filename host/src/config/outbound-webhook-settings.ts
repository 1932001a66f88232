/**
 * How the host delivers outbound webhooks (`WEFT_WEBHOOK_OUT_*`): attempts and backoff, when a
 * failing subscription is disabled, how often the outbox is polled and how long a receiver may
 * take.
 *
 * @example
 * ```ts
 * const { maxAttempts, disableAfterFailures } = config.outboundWebhooks;
 * ```
 */
export interface OutboundWebhookSettings {
  /** Attempts per delivery (`WEFT_WEBHOOK_OUT_MAX_ATTEMPTS`, default 8). */
  maxAttempts: number;
  /** First retry delay; it doubles per attempt, with jitter (`WEFT_WEBHOOK_OUT_RETRY_BASE_MS`, default 5 s). */
  retryBaseMs: number;
  /** Longest retry delay (`WEFT_WEBHOOK_OUT_RETRY_CAP_MS`, default 1 h). */
  retryCapMs: number;
  /** Consecutive failed attempts that disable a subscription (`WEFT_WEBHOOK_OUT_DISABLE_AFTER_FAILURES`, default 20)... */
  disableAfterFailures: number;
  /** ...once the streak has lasted this long (`WEFT_WEBHOOK_OUT_DISABLE_AFTER_HOURS`, default 24). */
  disableAfterMs: number;
  /** How often a host process looks for due deliveries (`WEFT_WEBHOOK_OUT_POLL_MS`, default 1000). */
  pollMs: number;
  /** Per-attempt timeout (`WEFT_WEBHOOK_OUT_TIMEOUT_MS`, default 10 s). */
  timeoutMs: number;
  /**
   * How long the previous secret keeps signing after a rotation, beside the new one
   * (`WEFT_WEBHOOK_OUT_SECRET_OVERLAP_HOURS`, default 24; 0 replaces it at once).
   */
  secretOverlapMs: number;
}

type Int = (name: string, fallback: number, min: number, max?: number) => number;

/**
 * Reads {@link OutboundWebhookSettings} with the config loader's integer reader (which collects
 * range problems).
 *
 * @example
 * ```ts
 * const settings = outboundWebhookSettings(int);
 * ```
 */
export function outboundWebhookSettings(int: Int): OutboundWebhookSettings {
  return {
    maxAttempts: int('WEFT_WEBHOOK_OUT_MAX_ATTEMPTS', 8, 1, 50),
    retryBaseMs: int('WEFT_WEBHOOK_OUT_RETRY_BASE_MS', 5000, 1, 86_400_000),
    retryCapMs: int('WEFT_WEBHOOK_OUT_RETRY_CAP_MS', 3_600_000, 1, 7 * 86_400_000),
    disableAfterFailures: int('WEFT_WEBHOOK_OUT_DISABLE_AFTER_FAILURES', 20, 1, 100_000),
    disableAfterMs: int('WEFT_WEBHOOK_OUT_DISABLE_AFTER_HOURS', 24, 0, 24 * 365) * 3_600_000,
    pollMs: int('WEFT_WEBHOOK_OUT_POLL_MS', 1000, 10, 600_000),
    timeoutMs: int('WEFT_WEBHOOK_OUT_TIMEOUT_MS', 10_000, 100, 120_000),
    secretOverlapMs: int('WEFT_WEBHOOK_OUT_SECRET_OVERLAP_HOURS', 24, 0, 24 * 30) * 3_600_000,
  };
}
