import type { ExecutionRecord } from '../model/execution.js';
import type { Workflow } from '../model/workflow-schema.js';
import type { WorkflowStore } from '../ports/workflow-store.js';
import { EngineError } from './engine-error.js';

const MAX_CACHED = 500;

/**
 * Stored workflow versions, read through a cache: versions are immutable, so a loaded one is kept
 * (the most recently used {@link MAX_CACHED}) and later jobs of the same version read no store.
 * Version 0 (an unsaved, inline workflow) is never cached.
 *
 * @example
 * ```ts
 * const versions = new WorkflowVersions(workflowStore);
 * const workflow = await versions.pinned(record); // the version the execution was started on
 * ```
 */
export class WorkflowVersions {
  readonly #cache = new Map<string, Workflow>();

  constructor(private readonly store: WorkflowStore) {}

  /** One version of a workflow, or undefined when it is not stored. */
  async get(
    workspaceId: string,
    workflowId: string,
    version: number,
  ): Promise<{ workflow: Workflow; version: number } | undefined> {
    const key = `${workspaceId}\u0000${workflowId}\u0000${version}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return { workflow: cached, version };
    }
    const stored = await this.store.getVersion(workspaceId, workflowId, version);
    if (!stored) return undefined;
    if (version > 0) {
      this.#cache.set(key, stored.workflow);
      if (this.#cache.size > MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value as string);
    }
    return { workflow: stored.workflow, version: stored.version };
  }

  /** The workflow version an execution is pinned to; a `NOT_FOUND` error names it when it is gone. */
  async pinned(record: ExecutionRecord): Promise<Workflow> {
    const stored = await this.get(record.workspaceId, record.workflowId, record.workflowVersion);
    if (!stored) {
      throw new EngineError(
        'NOT_FOUND',
        `Workflow "${record.workflowId}" version ${record.workflowVersion} of execution "${record.id}" not found; pass the workflow to resume()`,
      );
    }
    return stored.workflow;
  }
}
