import type { Workflow } from '../model/workflow-schema.js';
import type { Page, StoredWorkflow, WorkflowStore } from '../ports/workflow-store.js';

/**
 * Workflows held in process memory; versions are kept, never changed.
 *
 * @example
 * ```ts
 * const store = new MemoryWorkflowStore();
 * await store.save('default', { id: 'wf', name: 'Demo', nodes: [], connections: [] });
 * ```
 */
export class MemoryWorkflowStore implements WorkflowStore {
  readonly #versions = new Map<string, StoredWorkflow[]>();
  readonly #active = new Map<string, boolean>();
  #clock = 0;

  #key(workspaceId: string, id: string) {
    return `${workspaceId}\u0000${id}`;
  }

  async save(workspaceId: string, workflow: Workflow & { id: string }): Promise<StoredWorkflow> {
    const key = this.#key(workspaceId, workflow.id);
    const versions = this.#versions.get(key) ?? [];
    const version = versions.length + 1;
    const stored: StoredWorkflow = {
      workspaceId,
      id: workflow.id,
      version,
      workflow: structuredClone({ ...workflow, version }),
      active: this.#active.get(key) ?? false,
      createdAt: Date.now() + this.#clock++ / 1000,
    };
    versions.push(stored);
    this.#versions.set(key, versions);
    return stored;
  }

  async get(workspaceId: string, workflowId: string): Promise<StoredWorkflow | undefined> {
    const versions = this.#versions.get(this.#key(workspaceId, workflowId));
    const latest = versions?.[versions.length - 1];
    return latest && { ...latest, active: this.#active.get(this.#key(workspaceId, workflowId)) ?? false };
  }

  async getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredWorkflow | undefined> {
    return this.#versions.get(this.#key(workspaceId, workflowId))?.[version - 1];
  }

  async list(workspaceId: string, options: { limit?: number; cursor?: string } = {}): Promise<Page<StoredWorkflow>> {
    const all: StoredWorkflow[] = [];
    for (const [key, versions] of this.#versions) {
      if (!key.startsWith(`${workspaceId}\u0000`)) continue;
      const latest = versions[versions.length - 1];
      if (latest) all.push({ ...latest, active: this.#active.get(key) ?? false });
    }
    all.sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
    const start = options.cursor ? Number(options.cursor) : 0;
    const limit = options.limit ?? 50;
    const items = all.slice(start, start + limit);
    return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items };
  }

  async setActive(workspaceId: string, workflowId: string, active: boolean): Promise<void> {
    const key = this.#key(workspaceId, workflowId);
    if (!this.#versions.has(key)) throw new Error(`Workflow ${workflowId} not found`);
    this.#active.set(key, active);
  }

  async delete(workspaceId: string, workflowId: string): Promise<boolean> {
    const key = this.#key(workspaceId, workflowId);
    this.#active.delete(key);
    return this.#versions.delete(key);
  }
}
