import type { StoredWorkflow } from '@weft/client';

/** `workflow-saved`'s detail: the saved workflow's id, its new version and its name. */
export interface WorkflowSavedDetail {
  workflowId: string;
  version: number;
  name: string;
}

/** `execution-finished`'s detail: the run, its final status and the output of its last nodes. */
export interface ExecutionFinishedDetail {
  executionId: string;
  status: string | undefined;
  output: unknown;
}

/**
 * The editor's `workflow-saved` event (bubbling, composed: the embed view relays it to the host
 * page).
 *
 * @example
 * ```ts
 * this.dispatchEvent(workflowSaved(await client.workflows.update(ws, id, doc)));
 * ```
 */
export function workflowSaved(saved: StoredWorkflow): CustomEvent<WorkflowSavedDetail> {
  const detail = { workflowId: saved.id, version: saved.version, name: saved.workflow.name };
  return new CustomEvent('workflow-saved', { bubbles: true, composed: true, detail });
}

/**
 * The editor's `execution-finished` event (bubbling, composed), fired when a run it follows ends.
 *
 * @example
 * ```ts
 * this.dispatchEvent(executionFinished({ executionId: id, status: 'succeeded', output }));
 * ```
 */
export function executionFinished(detail: ExecutionFinishedDetail): CustomEvent<ExecutionFinishedDetail> {
  return new CustomEvent('execution-finished', { bubbles: true, composed: true, detail });
}
