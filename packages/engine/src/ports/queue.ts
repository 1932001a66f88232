import type { JsonValue } from '../model/json.js';

/** What a worker is asked to do. */
export interface QueueJob {
  workspaceId: string;
  executionId: string;
  /** `start` runs a queued execution; `resume` continues a parked or crashed one. */
  kind: 'start' | 'resume';
  /** Free-form data for the worker, e.g. an approval payload. */
  payload?: JsonValue;
  /**
   * W3C trace context (`traceparent`, `tracestate`) of the request that enqueued the job: the
   * worker's execution span continues that trace. Queues store it with the job.
   */
  trace?: Record<string, string>;
}

/** A job handed to one worker for a limited time (its lease). */
export interface ClaimedJob {
  id: string;
  job: QueueJob;
  /** Times this job has been claimed, including this one. */
  attempt: number;
  /** Epoch ms at which the lease lapses unless extended. */
  leaseUntil: number;
  /** Opaque token proving ownership of the lease. */
  token: string;
}

export interface EnqueueOptions {
  /** Epoch ms before which the job is not handed out (delayed jobs: waits, retries). */
  runAt?: number;
  priority?: number;
  /** A second enqueue with the same key while the first is queued or running is a no-op. */
  dedupeKey?: string;
}

/** A job that exhausted its attempts, kept with everything needed to replay it. */
export interface DeadLetter {
  id: string;
  job: QueueJob;
  attempts: number;
  error: string;
  failedAt: number;
}

/**
 * A durable job queue with leases. A worker claims jobs, extends the lease while working
 * (heartbeat) and acks when done; a job whose lease lapses (its worker died) is handed out again.
 *
 * @example
 * ```ts
 * await queue.enqueue({ workspaceId: 'ws', executionId: 'ex1', kind: 'start' });
 * const [claimed] = await queue.claim({ workerId: 'w1', leaseMs: 30_000, max: 1 });
 * if (claimed) { await run(claimed.job); await queue.ack(claimed); }
 * ```
 */
export interface JobQueue {
  enqueue(job: QueueJob, options?: EnqueueOptions): Promise<{ id: string; duplicate: boolean }>;
  /** Claims up to `max` due jobs; never hands one job to two live leases. */
  claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]>;
  /**
   * Extends a lease; false when it can no longer be extended: it lapsed (even if nobody claimed
   * the job yet) or another claim replaced it. The holder must then stop working on the job.
   */
  extend(job: ClaimedJob, leaseMs: number): Promise<boolean>;
  /**
   * Whether a job enqueued with this dedupe key is still queued, delayed or leased (an acked or
   * dead-lettered one is not). Recovery asks before enqueueing a job that may have been lost.
   */
  hasJob(dedupeKey: string): Promise<boolean>;
  /** Removes a finished job. */
  ack(job: ClaimedJob): Promise<void>;
  /** Puts the job back to run again at `runAt` (default now). */
  retry(job: ClaimedJob, options?: { runAt?: number; error?: string }): Promise<void>;
  /** Moves the job to the dead-letter queue. */
  deadLetter(job: ClaimedJob, error: string): Promise<void>;
  listDeadLetters(options?: { limit?: number }): Promise<DeadLetter[]>;
  /** Re-enqueues a dead letter and removes it from the dead-letter queue. */
  replayDeadLetter(id: string): Promise<boolean>;
  discardDeadLetter(id: string): Promise<boolean>;
  /**
   * Resolves when jobs may be available (or after `timeoutMs`); lets workers sleep instead of
   * spinning. Resolves at once when a job is already claimable, so a job enqueued between a
   * worker's empty claim and this call is not missed.
   */
  waitForJobs(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  stats(): Promise<{ ready: number; delayed: number; running: number; deadLetters: number; oldestReadyAgeMs: number }>;
  close(): Promise<void>;
}
