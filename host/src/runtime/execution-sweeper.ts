import { type Clock, type Logger, type ScheduleLock, systemClock, type WorkflowEngine } from '@weft/engine';

/** Options of {@link ExecutionSweeper}. */
export interface ExecutionSweeperOptions {
  engine: WorkflowEngine;
  /** Lets one process per interval sweep; the host passes Redis's lock or the database's. */
  lock: ScheduleLock;
  logger: Logger;
  /** Time between sweeps, and how far ahead timer waits get their jobs; default 30 s. */
  intervalMs?: number;
  /** Queued executions younger than this are left to the enqueue still in flight; default 10 s. */
  queuedGraceMs?: number;
  /** Executions looked at per kind and sweep; default 500. */
  batch?: number;
  clock?: Clock;
}

/** What one sweep found and fixed. */
export interface SweepResult {
  /** Timer waits (due, or due within the interval) that had no resume job and got one. */
  timers: number;
  /** Queued executions that had no start job and got one. */
  queued: number;
}

const LOCK_KEY = 'execution-sweeper';

/**
 * Finds executions a dead process left without a queue job and gives them the job they should
 * have: a process killed between storing an execution (`queued`, or parked `waiting` on a timer)
 * and enqueueing its job leaves it stuck otherwise. Each candidate comes from an indexed query
 * (`executions_due`; `executions_queued`, on Postgres `executions_unfinished`) and goes through
 * `engine.ensureJob`, which enqueues under the job's own dedupe key, so a job that exists is never doubled; a duplicate made by a race is
 * harmless, as resuming is a conditional write that only one process wins. Executions whose job
 * is in the dead-letter queue are left to the operator. A sweep runs at start
 * (unlocked: it is idempotent, and the previous process's lock may still be held) and then every
 * interval in one process at a time, under `lock`.
 *
 * @example
 * ```ts
 * const sweeper = new ExecutionSweeper({ engine, lock, logger });
 * await sweeper.sweep();
 * sweeper.start();
 * await sweeper.stop();
 * ```
 */
export class ExecutionSweeper {
  readonly #intervalMs: number;
  readonly #graceMs: number;
  readonly #batch: number;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(readonly options: ExecutionSweeperOptions) {
    this.#intervalMs = options.intervalMs ?? 30_000;
    this.#graceMs = options.queuedGraceMs ?? 10_000;
    this.#batch = options.batch ?? 500;
    this.#clock = options.clock ?? systemClock;
  }

  /** One sweep, now, without the lock. */
  async sweep(): Promise<SweepResult> {
    const { engine } = this.options;
    const now = this.#clock.now();
    const result: SweepResult = { timers: 0, queued: 0 };
    const timers = await engine.executions.listDueWaiting(now + this.#intervalMs, this.#batch);
    const queued = await engine.executions.listQueued(now - this.#graceMs, this.#batch);
    if (timers.length === 0 && queued.length === 0) return result;
    // A dead-lettered job waits for an operator's replay or discard; enqueueing it again would
    // only fail it again and again.
    const dead = new Set((await engine.queue.listDeadLetters({ limit: 10_000 })).map((d) => d.job.executionId));
    for (const r of timers) if (!dead.has(r.id) && (await engine.ensureJob(r))) result.timers++;
    for (const r of queued) if (!dead.has(r.id) && (await engine.ensureJob(r))) result.queued++;
    if (result.timers || result.queued)
      this.options.logger.warn({ ...result }, 'executions left without a queue job by a stopped process got one');
    return result;
  }

  /** A sweep if no other process swept within the interval; undefined when it did. */
  async tick(): Promise<SweepResult | undefined> {
    if (!(await this.options.lock.acquire(LOCK_KEY, Math.max(1, this.#intervalMs - 1000)))) return undefined;
    return this.sweep();
  }

  /** Sweeps every interval until {@link ExecutionSweeper.stop}. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running = this.tick().catch((err) =>
        this.options.logger.error({ err: (err as Error).message }, 'execution sweep failed'),
      );
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
