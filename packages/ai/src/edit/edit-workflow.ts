import type { Workflow } from '@weft/engine';
import { type GenerateOptions, generateWorkflow } from '../generate-workflow.js';
import type { GenerationResult } from '../planner/generation-result.js';
import { diffWorkflows, type WorkflowDiff } from './workflow-diff.js';

/** What {@link editWorkflow} returns: the edited workflow (it validates) and what changed. */
export interface EditResult extends GenerationResult {
  diff: WorkflowDiff;
}

/**
 * Edits an existing workflow from a request in plain words — "add a Slack message after the IF",
 * "remove the wait", "change the schedule to every Friday at 8". Offline by default (rules over
 * the workflow's nodes and the catalogue); with a `provider` the model edits it through the same
 * tool calls as generation, starting from the workflow's nodes, with the validate-and-repair loop.
 * The result always validates; what could not be done is in `unresolved`; `diff` lists the nodes
 * and connections added, removed and changed.
 *
 * @example
 * ```ts
 * const { workflow, diff, unresolved } = await editWorkflow(stored.workflow, 'remove the wait', { catalogue });
 * diff.removedNodes.map((n) => n.type); // ['weft.wait']
 * ```
 */
export async function editWorkflow(
  workflow: Workflow,
  prompt: string,
  options: Omit<GenerateOptions, 'base'>,
): Promise<EditResult> {
  const result = await generateWorkflow(prompt, { ...options, base: workflow });
  return { ...result, diff: diffWorkflows(workflow, result.workflow) };
}
