import { silentLogger } from '../memory/silent-logger.js';
import { systemClock } from '../memory/system-clock.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ClaimedJob, JobQueue } from '../ports/queue.js';
import { ExecutionInterrupted } from './engine-error.js';
import { backoffDelay } from './retry-backoff.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** Settings of a {@link Worker}. */
export interface WorkerOptions {
  engine: WorkflowEngine;
  /** Defaults to the engine's queue. */
  queue?: JobQueue;
  workerId?: string;
  /** Jobs run at once. Default 4. */
  concurrency?: number;
  /** Lease length; the worker extends it every third of it while a job runs. Default 30 s. */
  leaseMs?: number;
  /** Claims of one job (its own failures, not the workflow's) before it is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Longest sleep between claims when idle. Default 1 s. */
  idleWaitMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Claims jobs from the queue and runs them on the engine: started executions, resumes of parked
 * ones, and executions whose previous worker died (their lease lapsed). Any number of workers can
 * share a queue. A job that keeps failing outside the workflow (store down, bug) is retried with
 * backoff and dead-lettered after `maxAttempts` claims.
 *
 * @example
 * ```ts
 * const worker = new Worker({ engine, concurrency: 8 });
 * worker.start();
 * // ... on shutdown:
 * await worker.stop();
 * ```
 */
export class Worker {
  readonly id: string;
  readonly #engine: WorkflowEngine;
  readonly #queue: JobQueue;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #idleWaitMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #active = new Map<string, { promise: Promise<void>; controller: AbortController }>();
  #stopping: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: WorkerOptions) {
    this.#engine = options.engine;
    this.#queue = options.queue ?? options.engine.queue;
    this.id = options.workerId ?? `worker-${crypto.randomUUID().slice(0, 8)}`;
    this.#concurrency = options.concurrency ?? 4;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#idleWaitMs = options.idleWaitMs ?? 1000;
    this.#clock = options.clock ?? systemClock;
    this.#logger = (options.logger ?? silentLogger).child({ workerId: this.id });
  }

  /** Starts claiming jobs. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = new AbortController();
    this.#loop = this.#run(this.#stopping.signal);
  }

  /** Jobs running now. */
  get activeCount(): number {
    return this.#active.size;
  }

  /**
   * Stops claiming. With `drain` (default) running jobs finish; otherwise they are aborted and
   * their leases released so another worker resumes them from their last checkpoint.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.#stopping?.abort();
    await this.#loop;
    this.#loop = undefined;
    if (options.drain === false) {
      for (const a of this.#active.values()) a.controller.abort(new ExecutionInterrupted('worker stopping'));
    }
    await Promise.all([...this.#active.values()].map((a) => a.promise));
  }

  async #run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      const free = this.#concurrency - this.#active.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await this.#queue.claim({ workerId: this.id, leaseMs: this.#leaseMs, max: free });
        } catch (e) {
          this.#logger.error({ err: String(e) }, 'claim failed');
          await this.#clock.sleep(this.#idleWaitMs, stop).catch(() => {});
          continue;
        }
      }
      for (const job of claimed) this.#process(job);
      // Fewer jobs than asked for: the queue had no more ready, so wait (it returns at once for a
      // job that arrived since the claim) instead of sending a claim that comes back empty.
      if (this.#active.size >= this.#concurrency) await Promise.race([...this.#active.values()].map((a) => a.promise));
      else if (claimed.length < free) await this.#queue.waitForJobs(this.#idleWaitMs, stop).catch(() => {});
    }
  }

  #process(job: ClaimedJob): void {
    const controller = new AbortController();
    const heartbeat = setInterval(
      () => {
        this.#queue.extend(job, this.#leaseMs).then(
          (ok) => {
            if (!ok) {
              this.#logger.warn({ jobId: job.id }, 'lease lost; stopping the job here');
              controller.abort(new ExecutionInterrupted('lease lost'));
            }
          },
          (e) => this.#logger.warn({ jobId: job.id, err: String(e) }, 'lease extension failed'),
        );
      },
      Math.max(10, Math.floor(this.#leaseMs / 3)),
    );
    const promise = (async () => {
      try {
        const result = await this.#engine.runJob(job.job, controller.signal);
        if (result.status === 'running' && !result.duplicate) {
          await this.#queue.retry(job);
          return;
        }
        await this.#queue.ack(job);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.#logger.error({ jobId: job.id, executionId: job.job.executionId, err: message }, 'job failed');
        if (job.attempt >= this.#maxAttempts) await this.#queue.deadLetter(job, message).catch(() => {});
        else {
          const delay = backoffDelay(
            { attempts: this.#maxAttempts, baseMs: 500, capMs: 30_000 },
            job.attempt,
            Math.random,
          );
          await this.#queue.retry(job, { runAt: this.#clock.now() + delay, error: message }).catch(() => {});
        }
      } finally {
        clearInterval(heartbeat);
        this.#active.delete(job.id);
      }
    })();
    this.#active.set(job.id, { promise, controller });
  }
}
