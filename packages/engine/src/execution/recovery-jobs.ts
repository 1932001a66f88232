import type { ExecutionRecord } from '../model/execution.js';
import type { EnqueueOptions, QueueJob } from '../ports/queue.js';

/** A queue job with the options it is enqueued with. */
export interface PlannedJob {
  job: QueueJob;
  options: EnqueueOptions & { dedupeKey: string };
}

/**
 * The job that runs a queued execution. Its dedupe key depends on the execution only, so
 * enqueueing it again (recovery) is a no-op while the first one is queued or running.
 *
 * @example
 * ```ts
 * const { job, options } = startJob(record);
 * await queue.enqueue(job, options);
 * ```
 */
export function startJob(record: Pick<ExecutionRecord, 'id' | 'workspaceId'>): PlannedJob {
  return {
    job: { workspaceId: record.workspaceId, executionId: record.id, kind: 'start' },
    options: { dedupeKey: `start:${record.id}` },
  };
}

/**
 * The delayed job that resumes an execution parked on a timer. Its dedupe key is rebuilt from the
 * stored wait alone, so recovery can enqueue it again without knowing whether the process that
 * parked the execution got to enqueue it. A later wait always has a later `resumeAt` (a wait only
 * parks until a time still ahead), so it never collides with the job that resumed the earlier one.
 *
 * @example
 * ```ts
 * const { job, options } = timerJob(record, record.wait.resumeAt);
 * await queue.enqueue(job, options); // runs at resumeAt
 * ```
 */
export function timerJob(record: Pick<ExecutionRecord, 'id' | 'workspaceId'>, resumeAt: number): PlannedJob {
  return {
    job: { workspaceId: record.workspaceId, executionId: record.id, kind: 'resume' },
    options: { runAt: resumeAt, dedupeKey: `resume:${record.id}:${resumeAt}` },
  };
}

/**
 * The job a queued execution, or one parked on a timer, should have in the queue; undefined for
 * any other execution.
 *
 * @example
 * ```ts
 * const planned = recoveryJob(record);
 * if (planned && !(await queue.hasJob(planned.options.dedupeKey))) await queue.enqueue(planned.job, planned.options);
 * ```
 */
export function recoveryJob(
  record: Pick<ExecutionRecord, 'id' | 'workspaceId' | 'status' | 'wait'>,
): PlannedJob | undefined {
  if (record.status === 'queued') return startJob(record);
  const resumeAt = record.wait?.kind === 'timer' ? record.wait.resumeAt : undefined;
  return record.status === 'waiting' && resumeAt !== undefined ? timerJob(record, resumeAt) : undefined;
}
