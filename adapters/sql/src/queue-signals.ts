/**
 * How queue instances tell each other that jobs may be available. {@link SqlQueue} calls
 * `notify()` after enqueueing or re-queueing; `waitForJobs` listens through `subscribe`. The
 * default only reaches instances in the same process that share the signals object; Postgres
 * plugs in LISTEN/NOTIFY to reach other processes.
 *
 * @example
 * ```ts
 * const signals = new LocalQueueSignals();
 * const a = new SqlQueue({ db, dialect: 'sqlite', signals });
 * const b = new SqlQueue({ db: other, dialect: 'sqlite', signals }); // b wakes on a.enqueue()
 * ```
 */
export interface QueueSignals {
  notify(): Promise<void> | void;
  /** Calls `listener` on every notification; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * In-process {@link QueueSignals}: notifications reach subscribers of this object only.
 *
 * @example
 * ```ts
 * const signals = new LocalQueueSignals();
 * const off = signals.subscribe(() => console.log('jobs!'));
 * signals.notify();
 * off();
 * ```
 */
export class LocalQueueSignals implements QueueSignals {
  readonly #listeners = new Set<() => void>();

  notify(): void {
    for (const l of [...this.#listeners]) l();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
