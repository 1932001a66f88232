import type { Page, StoredWorkflow, Workflow, WorkflowStore } from '@weft/engine';
import type { RedisCache } from './redis-cache.js';

/**
 * Options of {@link CachedWorkflowStore}.
 *
 * @example
 * ```ts
 * const store = new CachedWorkflowStore(inner, cache, { latestTtlMs: 10_000 });
 * ```
 */
export interface CachedWorkflowStoreOptions {
  /** TTL of the cached latest version (changes on save); default 60 s. */
  latestTtlMs?: number;
  /** TTL of a cached pinned version (immutable); default 1 hour. */
  versionTtlMs?: number;
}

/**
 * Any engine `WorkflowStore` with a read-through {@link RedisCache} in front of `get` and
 * `getVersion` (what workers call for every execution). `save`, `setActive` and `delete` write to
 * the store first, then invalidate the workflow's cache group, which every process shares; `list`
 * is not cached. Keys are version-aware: `latest` and `v<n>` in the group `wf:<workspace>:<id>`.
 *
 * @example
 * ```ts
 * const workflows = new CachedWorkflowStore(new SqliteWorkflowStore(db), new RedisCache({ redis }));
 * const pinned = await workflows.getVersion('ws1', 'orders', 3); // from Redis after the first call
 * ```
 */
export class CachedWorkflowStore implements WorkflowStore {
  readonly #store: WorkflowStore;
  readonly #cache: RedisCache;
  readonly #latestTtlMs: number;
  readonly #versionTtlMs: number;

  constructor(store: WorkflowStore, cache: RedisCache, options: CachedWorkflowStoreOptions = {}) {
    this.#store = store;
    this.#cache = cache;
    this.#latestTtlMs = options.latestTtlMs ?? 60_000;
    this.#versionTtlMs = options.versionTtlMs ?? 3_600_000;
  }

  async save(workspaceId: string, workflow: Workflow & { id: string }): Promise<StoredWorkflow> {
    const stored = await this.#store.save(workspaceId, workflow);
    await this.#invalidate(workspaceId, workflow.id, 'save');
    return stored;
  }

  get(workspaceId: string, workflowId: string): Promise<StoredWorkflow | undefined> {
    return this.#cache.getOrLoad(
      group(workspaceId, workflowId),
      'latest',
      () => this.#store.get(workspaceId, workflowId),
      {
        ttlMs: this.#latestTtlMs,
      },
    );
  }

  getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredWorkflow | undefined> {
    return this.#cache.getOrLoad(
      group(workspaceId, workflowId),
      `v${version}`,
      () => this.#store.getVersion(workspaceId, workflowId, version),
      { ttlMs: this.#versionTtlMs },
    );
  }

  list(workspaceId: string, options?: { limit?: number; cursor?: string }): Promise<Page<StoredWorkflow>> {
    return this.#store.list(workspaceId, options);
  }

  async setActive(workspaceId: string, workflowId: string, active: boolean): Promise<void> {
    await this.#store.setActive(workspaceId, workflowId, active);
    await this.#invalidate(workspaceId, workflowId, 'setActive');
  }

  async delete(workspaceId: string, workflowId: string): Promise<boolean> {
    const deleted = await this.#store.delete(workspaceId, workflowId);
    await this.#invalidate(workspaceId, workflowId, 'delete');
    return deleted;
  }

  async #invalidate(workspaceId: string, workflowId: string, after: string): Promise<void> {
    try {
      await this.#cache.invalidate(group(workspaceId, workflowId));
    } catch (error) {
      throw new Error(
        `CachedWorkflowStore.${after}: the store was updated, but invalidating the cache of workflow "${workflowId}" ` +
          `in workspace "${workspaceId}" failed; readers may see the old version until its TTL ends`,
        { cause: error },
      );
    }
  }
}

function group(workspaceId: string, workflowId: string): string {
  return `wf:${encodeURIComponent(workspaceId)}:${encodeURIComponent(workflowId)}`;
}
