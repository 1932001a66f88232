import type { Kysely } from 'kysely';
import type { QueueSignals } from './queue-signals.js';
import type { WeftDatabase } from './schema.js';
import { millis } from './sql-dialect.js';

/** Options of {@link SqlJobWaiter}. */
export interface SqlJobWaiterOptions {
  db: Kysely<WeftDatabase>;
  signals: QueueSignals;
  /** Also look for due jobs this often while waiting (for writers this instance cannot hear); 0 = never. */
  pollIntervalMs: number;
  now: () => number;
}

/**
 * What {@link SqlQueue.waitForJobs} waits on: a wake-up through the queue's signals, the next
 * delayed job or lapsing lease coming due, an optional poll, abort, close or the timeout. A
 * wake-up that arrives between a claim and the wait after it is not lost: {@link noteClaim} marks
 * the claim, and a wait that finds a wake-up since then returns at once.
 *
 * @example
 * ```ts
 * const waiter = new SqlJobWaiter({ db, signals, pollIntervalMs: 0, now: Date.now });
 * waiter.noteClaim();
 * const jobs = await claim();
 * if (jobs.length === 0) await waiter.wait(5_000);
 * ```
 */
export class SqlJobWaiter {
  #closed = false;
  readonly #closers = new Set<() => void>();
  #signalled = 0;
  #signalledAtClaim = -1;
  readonly #unsubscribe: () => void;

  constructor(private readonly options: SqlJobWaiterOptions) {
    this.#unsubscribe = options.signals.subscribe(() => {
      this.#signalled++;
    });
  }

  /** A claim starts: a wake-up arriving after it makes the next {@link wait} return at once. */
  noteClaim(): void {
    this.#signalledAtClaim = this.#signalled;
  }

  /** Resolves when jobs may be available, on abort, on close, or after `timeoutMs`. */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return;
    if (this.#signalledAtClaim !== -1 && this.#signalled !== this.#signalledAtClaim) {
      this.#signalledAtClaim = -1;
      return;
    }
    const { db, now } = this.options;
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const timers: NodeJS.Timeout[] = [];
    const off = this.options.signals.subscribe(() => finish());
    const onAbort = () => finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#closers.add(finish);
    timers.push(setTimeout(finish, timeoutMs));
    const started = now();
    const nextDue = async () => {
      const row = await db
        .selectFrom('queue_jobs')
        .select((eb) => eb.fn.min('available_at').as('next'))
        .where('available_at', '>', started)
        .executeTakeFirst();
      const next = row?.next === null || row?.next === undefined ? undefined : millis(row.next);
      if (next !== undefined && next - started < timeoutMs) timers.push(setTimeout(finish, next - now() + 1));
    };
    if (this.options.pollIntervalMs > 0) {
      const poll = setInterval(async () => {
        const due = await db
          .selectFrom('queue_jobs')
          .select('id')
          .where('available_at', '<=', now())
          .limit(1)
          .executeTakeFirst()
          .catch(() => undefined);
        if (due) finish();
      }, this.options.pollIntervalMs);
      timers.push(poll);
    }
    // Short waits end soon anyway; only longer ones look up the next delayed job to wake for it.
    if (timeoutMs > 250) await Promise.race([nextDue().catch(() => undefined), done]);
    await done;
    for (const t of timers) clearTimeout(t);
    signal?.removeEventListener('abort', onAbort);
    off();
    this.#closers.delete(finish);
  }

  /** Ends every wait now and makes later ones return at once. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    for (const c of [...this.#closers]) c();
  }
}
