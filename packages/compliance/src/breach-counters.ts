/** What {@link BreachCounters.hit} answers. */
export interface BreachHit {
  /** Hits of the slot within the window, this one included. */
  count: number;
  /** True for exactly one hit per burst: the count reached the threshold and no alert was claimed in the last window. */
  alert: boolean;
}

/**
 * Where {@link BreachDetector} counts: sliding-window hit counts per slot (`rule\nkey`) and the
 * quiet period after an alert. Memory counts per process; the host shares one count between its
 * processes through Redis (`RedisBreachCounters`) or the database (`SqlBreachCounters`), so a
 * burst spread over several hosts behind a load balancer is seen whole.
 *
 * @example
 * ```ts
 * const { count, alert } = await counters.hit('failed-login-burst-ip\nip:203.0.113.7', Date.now(), 300_000, 10);
 * ```
 */
export interface BreachCounters {
  /**
   * Counts one hit of `slot` at `at` (epoch ms), forgets hits at or before `at - windowMs`, and
   * claims the alert when the count reaches `threshold` and the slot is not quiet; a claimed alert
   * keeps the slot quiet until `at + windowMs`. Atomic across every user of the same store.
   */
  hit(slot: string, at: number, windowMs: number, threshold: number): Promise<BreachHit>;
}

/**
 * {@link BreachCounters} in memory, per process. Slots are dropped once their window passed, so
 * memory follows the active keys.
 *
 * @example
 * ```ts
 * const detector = new BreachDetector(DEFAULT_BREACH_RULES, new MemoryBreachCounters());
 * ```
 */
export class MemoryBreachCounters implements BreachCounters {
  readonly #hits = new Map<string, { times: number[]; windowMs: number }>();
  readonly #quietUntil = new Map<string, number>();

  async hit(slot: string, at: number, windowMs: number, threshold: number): Promise<BreachHit> {
    const since = at - windowMs;
    const times = (this.#hits.get(slot)?.times ?? []).filter((t) => t > since);
    times.push(at);
    this.#hits.set(slot, { times, windowMs });
    let alert = false;
    if (times.length >= threshold && (this.#quietUntil.get(slot) ?? 0) <= at) {
      this.#quietUntil.set(slot, at + windowMs);
      alert = true;
    }
    if (this.#hits.size > 10_000) this.#sweep(at);
    return { count: times.length, alert };
  }

  #sweep(now: number): void {
    for (const [slot, { times, windowMs }] of this.#hits) {
      if ((times.at(-1) ?? 0) <= now - windowMs) this.#hits.delete(slot);
    }
    for (const [slot, until] of this.#quietUntil) if (until <= now) this.#quietUntil.delete(slot);
  }
}
