import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NodeRunRecord } from '../model/execution.js';
import type { ExecutionFilter, ExecutionStore, PruneOptions, PruneProgress } from '../ports/execution-store.js';
import type { Page } from '../ports/workflow-store.js';

/**
 * Executions held in process memory. Records are kept by reference (no copies), which is what
 * makes it the fast baseline; callers must not mutate what they wrote.
 *
 * @example
 * ```ts
 * const engine = new WorkflowEngine({ executions: new MemoryExecutionStore() });
 * ```
 */
export class MemoryExecutionStore implements ExecutionStore {
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #runs = new Map<string, NodeRunRecord[]>();
  readonly #idempotency = new Map<string, string>();
  /** Keeps at most this many finished executions (oldest dropped first); unlimited when 0. */
  readonly #maxFinished: number;
  readonly #finished: string[] = [];

  constructor(options: { maxFinished?: number } = {}) {
    this.#maxFinished = options.maxFinished ?? 0;
  }

  async create(record: ExecutionRecord): Promise<{ created: boolean; record: ExecutionRecord }> {
    if (record.idempotencyKey) {
      const key = `${record.workspaceId}\u0000${record.idempotencyKey}`;
      const existing = this.#idempotency.get(key);
      const found = existing && this.#executions.get(existing);
      if (found) return { created: false, record: found };
      this.#idempotency.set(key, record.id);
    }
    if (this.#executions.has(record.id)) throw new Error(`Execution ${record.id} already exists`);
    this.#executions.set(record.id, { ...record });
    this.#runs.set(record.id, []);
    return { created: true, record };
  }

  async get(workspaceId: string | undefined, executionId: string): Promise<ExecutionRecord | undefined> {
    const r = this.#executions.get(executionId);
    if (!r || (workspaceId !== undefined && r.workspaceId !== workspaceId)) return undefined;
    return { ...r };
  }

  async update(executionId: string, patch: ExecutionPatch): Promise<void> {
    const r = this.#executions.get(executionId);
    if (!r) throw new Error(`Execution ${executionId} not found`);
    Object.assign(r, patch);
    if ('wait' in patch && patch.wait === undefined) delete r.wait;
    if (this.#maxFinished > 0 && patch.finishedAt !== undefined) {
      this.#finished.push(executionId);
      while (this.#finished.length > this.#maxFinished) {
        const old = this.#finished.shift() as string;
        const rec = this.#executions.get(old);
        if (rec?.idempotencyKey) this.#idempotency.delete(`${rec.workspaceId}\u0000${rec.idempotencyKey}`);
        this.#executions.delete(old);
        this.#runs.delete(old);
      }
    }
  }

  async transition(executionId: string, from: ExecutionStatus, patch: ExecutionPatch): Promise<boolean> {
    if (this.#executions.get(executionId)?.status !== from) return false;
    await this.update(executionId, patch);
    return true;
  }

  async checkpoint(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void> {
    const log = this.#runs.get(executionId);
    if (!log) throw new Error(`Execution ${executionId} not found`);
    for (const [i, run] of runs.entries()) {
      if (run.executionId !== executionId)
        throw new Error(`Node run ${run.seq} belongs to execution ${run.executionId}, not ${executionId}`);
      if (run.seq !== log.length + i)
        throw new Error(`Node run seq ${run.seq} out of order (expected ${log.length + i})`);
    }
    log.push(...runs);
    if (patch) await this.update(executionId, patch);
  }

  async listNodeRuns(executionId: string, options: { nodeIds?: readonly string[] } = {}): Promise<NodeRunRecord[]> {
    const runs = this.#runs.get(executionId) ?? [];
    const only = options.nodeIds;
    return only ? runs.filter((r) => only.includes(r.nodeId)) : [...runs];
  }

  async list(workspaceId: string, filter: ExecutionFilter = {}): Promise<Page<ExecutionRecord>> {
    const all = [...this.#executions.values()]
      .filter(
        (r) =>
          r.workspaceId === workspaceId &&
          (!filter.workflowId || r.workflowId === filter.workflowId) &&
          (!filter.status || filter.status.includes(r.status)),
      )
      .sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id));
    const start = filter.cursor ? Number(filter.cursor) : 0;
    const limit = filter.limit ?? 50;
    const items = all.slice(start, start + limit).map((r) => ({ ...r }));
    return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items };
  }

  async listDueWaiting(dueBy: number, limit: number): Promise<ExecutionRecord[]> {
    return [...this.#executions.values()]
      .filter((r) => r.status === 'waiting' && r.wait?.kind === 'timer' && (r.wait.resumeAt ?? 0) <= dueBy)
      .sort((a, b) => (a.wait?.resumeAt ?? 0) - (b.wait?.resumeAt ?? 0))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async listQueued(startedBefore: number, limit: number): Promise<ExecutionRecord[]> {
    return [...this.#executions.values()]
      .filter((r) => r.status === 'queued' && r.startedAt < startedBefore)
      .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async delete(workspaceId: string, executionId: string): Promise<boolean> {
    const r = this.#executions.get(executionId);
    if (!r || r.workspaceId !== workspaceId) return false;
    if (r.idempotencyKey) this.#idempotency.delete(`${r.workspaceId}\u0000${r.idempotencyKey}`);
    this.#executions.delete(executionId);
    this.#runs.delete(executionId);
    return true;
  }

  async *pruneExecutions(options: PruneOptions): AsyncIterable<PruneProgress> {
    if (options.olderThan === undefined && options.keepPerWorkflow === undefined) {
      throw new Error('pruneExecutions needs olderThan, keepPerWorkflow or both');
    }
    const finished = (r: ExecutionRecord) =>
      r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled';
    const doomed = new Set<string>();
    if (options.olderThan !== undefined) {
      for (const r of this.#executions.values()) if (finished(r) && r.startedAt < options.olderThan) doomed.add(r.id);
    }
    if (options.keepPerWorkflow !== undefined) {
      const byWorkflow = new Map<string, ExecutionRecord[]>();
      for (const r of this.#executions.values()) {
        const key = `${r.workspaceId}\u0000${r.workflowId}`;
        byWorkflow.set(key, [...(byWorkflow.get(key) ?? []), r]);
      }
      for (const list of byWorkflow.values()) {
        list.sort((a, b) => b.startedAt - a.startedAt);
        for (const r of list.slice(options.keepPerWorkflow)) if (finished(r)) doomed.add(r.id);
      }
    }
    const chunk = Math.max(1, options.chunkSize ?? 1000);
    const ids = [...doomed];
    const progress: PruneProgress = { deleted: 0, chunks: 0 };
    for (let i = 0; i < ids.length; i += chunk) {
      for (const id of ids.slice(i, i + chunk)) {
        const r = this.#executions.get(id);
        if (r) await this.delete(r.workspaceId, id);
      }
      progress.deleted += Math.min(chunk, ids.length - i);
      progress.chunks++;
      yield { ...progress };
    }
  }
}
