import type { ExecutionRecord } from '../model/execution.js';
import type { Workflow } from '../model/workflow-schema.js';
import type { CompiledNode, CompiledWorkflow } from './compiled-workflow.js';
import { EngineError } from './engine-error.js';
import type { ExecuteOptions } from './engine-options.js';

/**
 * A new execution's record (status `running`), as {@link WorkflowEngine.execute} and
 * {@link WorkflowEngine.enqueue} store it.
 *
 * @example
 * ```ts
 * const record = newExecutionRecord(workflow, 'ws1', { input: [{ json: {} }] }, 0, newId, clock.now());
 * ```
 */
export function newExecutionRecord(
  workflow: Workflow,
  workspaceId: string,
  options: ExecuteOptions,
  depth: number,
  newId: () => string,
  now: number,
): ExecutionRecord {
  const record: ExecutionRecord = {
    id: options.executionId ?? newId(),
    workspaceId,
    workflowId: workflow.id ?? 'inline',
    workflowVersion: workflow.version ?? 0,
    status: 'running',
    mode: options.mode ?? 'manual',
    input: { main: options.input ?? [{ json: {} }] },
    startedAt: now,
    depth,
  };
  if (options.idempotencyKey) record.idempotencyKey = options.idempotencyKey;
  if (options.startNodeId) record.startNodeId = options.startNodeId;
  return record;
}

/** A signal for an execution that is not (or no longer) parked on one, e.g. a second approval. */
export const notWaiting = (executionId: string, status: string): EngineError =>
  new EngineError('INVALID_STATE', `Execution "${executionId}" is not waiting for a signal (status ${status})`);

/** The start node `id` of a compiled workflow; checked before anything is stored, so an unknown one leaves no execution behind. */
export function startNode(compiled: CompiledWorkflow, id: string): CompiledNode {
  const node = compiled.byId.get(id);
  if (!node) throw startNodeMissing(id, compiled.workflow);
  return node;
}

/** The `NOT_FOUND` error for a start node the workflow does not have. */
export function startNodeMissing(id: string, workflow: Workflow): EngineError {
  return new EngineError('NOT_FOUND', `Start node "${id}" not found in workflow "${workflow.name}"`, {
    startNodeId: id,
  });
}
