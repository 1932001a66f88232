import type { Workflow } from '../model/workflow-schema.js';

/** A stored workflow version. */
export interface StoredWorkflow {
  workspaceId: string;
  id: string;
  version: number;
  workflow: Workflow;
  active: boolean;
  createdAt: number;
}

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Where workflows and their immutable versions live. Saving a workflow never changes an existing
 * version: it creates the next one, so executions can pin the version they started with.
 *
 * @example
 * ```ts
 * const { version } = await store.save('ws1', { id: 'wf1', name: 'Orders', nodes, connections });
 * const pinned = await store.getVersion('ws1', 'wf1', version);
 * ```
 */
export interface WorkflowStore {
  /** Stores `workflow` (which must have an id) as a new version and returns it. */
  save(workspaceId: string, workflow: Workflow & { id: string }): Promise<StoredWorkflow>;
  /** The latest version, or undefined. */
  get(workspaceId: string, workflowId: string): Promise<StoredWorkflow | undefined>;
  getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredWorkflow | undefined>;
  /** Latest version of each workflow, newest first. */
  list(workspaceId: string, options?: { limit?: number; cursor?: string }): Promise<Page<StoredWorkflow>>;
  setActive(workspaceId: string, workflowId: string, active: boolean): Promise<void>;
  /** Deletes the workflow and all its versions; true when something was deleted. */
  delete(workspaceId: string, workflowId: string): Promise<boolean>;
}
