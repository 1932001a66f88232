import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NodeRunRecord } from '../model/execution.js';
import type { EnqueueOptions, JobQueue, QueueJob } from './queue.js';
import type { Page } from './workflow-store.js';

/** What to prune. At least one of `olderThan` and `keepPerWorkflow` must be given. */
export interface PruneOptions {
  /** Epoch ms: finished executions started before this go. */
  olderThan?: number;
  /** Keep the newest N executions of each workflow; older finished ones go. */
  keepPerWorkflow?: number;
  /** Executions deleted per transaction. */
  chunkSize?: number;
}

/** Progress of a prune, reported after each chunk. */
export interface PruneProgress {
  deleted: number;
  chunks: number;
}

/** Creates a queued execution and its start job atomically (see {@link ExecutionStore.createQueuedIn}). */
export type CreateQueued = (
  record: ExecutionRecord,
  job: QueueJob,
  options: EnqueueOptions,
) => Promise<{ created: boolean; record: ExecutionRecord }>;

/** Filter for listing executions. */
export interface ExecutionFilter {
  workflowId?: string;
  status?: ExecutionStatus[];
  limit?: number;
  cursor?: string;
}

/**
 * Executions and their node-run log. The engine records one node run per node attempt (the
 * checkpoint) and patches the execution when its status changes; `resume()` reads both back.
 *
 * Writes for one execution are issued in order and awaited; an implementation may batch writes of
 * different executions into one transaction (group commit) as long as each promise resolves only
 * once its write is durable.
 *
 * @example
 * ```ts
 * await store.create(record);
 * await store.checkpoint(record.id, [run]);  // append node runs
 * await store.checkpoint(record.id, [last], { status: 'succeeded', finishedAt: Date.now() });
 * const runs = await store.listNodeRuns(record.id);
 * ```
 */
export interface ExecutionStore {
  /**
   * Creates an execution. When `record.idempotencyKey` is set and an execution of the same
   * workspace already has it, nothing is created and the existing record is returned.
   */
  create(record: ExecutionRecord): Promise<{ created: boolean; record: ExecutionRecord }>;
  /**
   * A function that creates a queued execution and enqueues its start job in `queue` in one atomic
   * write, when this store can write to that queue (a SQL store and the SQL queue of the same
   * database: one statement, one commit); `undefined` when it cannot (a Redis queue), and the
   * caller creates and enqueues in two steps. Idempotency as in {@link ExecutionStore.create}: a
   * duplicate enqueues nothing. Optional; asked once per queue.
   *
   * @example
   * ```ts
   * const createQueued = store.createQueuedIn?.(queue);
   * const { job, options } = startJob(record);
   * const { created } = createQueued ? await createQueued(record, job, options) : await twoSteps();
   * ```
   */
  createQueuedIn?(queue: JobQueue): CreateQueued | undefined;
  get(workspaceId: string | undefined, executionId: string): Promise<ExecutionRecord | undefined>;
  update(executionId: string, patch: ExecutionPatch): Promise<void>;
  /**
   * Applies `patch` only while the execution's status is `from`, in one atomic write; true when
   * it did. Processes that race to resume the same parked or queued execution call this, and only
   * one of them wins.
   *
   * @example
   * ```ts
   * if (await store.transition(id, 'waiting', { status: 'running', wait: undefined })) run();
   * ```
   */
  transition(executionId: string, from: ExecutionStatus, patch: ExecutionPatch): Promise<boolean>;
  /**
   * Appends node runs (in `seq` order; `seq` is unique per execution) and, when given, applies
   * `patch` to the execution — all in one atomic write: either every run and the patch are stored,
   * or nothing is and the promise rejects.
   */
  checkpoint(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void>;
  /**
   * The node-run log in `seq` order; with `nodeIds`, only the runs of those nodes (an SQL store
   * reads only their rows, so answering a webhook from its Respond nodes stays cheap).
   *
   * @example
   * ```ts
   * const responds = await store.listNodeRuns(executionId, { nodeIds: ['respond'] });
   * ```
   */
  listNodeRuns(executionId: string, options?: { nodeIds?: readonly string[] }): Promise<NodeRunRecord[]>;
  list(workspaceId: string, filter?: ExecutionFilter): Promise<Page<ExecutionRecord>>;
  /** Executions parked on a timer due at or before `dueBy`, oldest first. */
  listDueWaiting(dueBy: number, limit: number): Promise<ExecutionRecord[]>;
  /** Executions still `queued` that started before `startedBefore`, oldest first (recovery of lost start jobs). */
  listQueued(startedBefore: number, limit: number): Promise<ExecutionRecord[]>;
  /** Deletes an execution and its node runs; true when it existed. */
  delete(workspaceId: string, executionId: string): Promise<boolean>;
  /**
   * Retention: deletes finished executions (and their node runs) in bounded chunks, yielding
   * progress after each, so memory stays flat however many rows go.
   */
  pruneExecutions(options: PruneOptions): AsyncIterable<PruneProgress>;
}
