import type { Workflow } from '@weft/engine';

/**
 * One undoable change to a workflow document. `apply` and `revert` are pure: they return a new
 * document and never mutate the one they are given.
 *
 * @example
 * ```ts
 * const rename: WorkflowCommand = {
 *   label: 'Rename workflow',
 *   apply: (wf) => ({ ...wf, name: 'New' }),
 *   revert: (wf) => ({ ...wf, name: 'Old' }),
 * };
 * ```
 */
export interface WorkflowCommand {
  label: string;
  apply(workflow: Workflow): Workflow;
  revert(workflow: Workflow): Workflow;
  /**
   * Commands with the same merge key that follow each other within the history's merge window
   * become one undo step (typing in a field, nudging with arrow keys).
   */
  mergeKey?: string;
}

/**
 * Several commands as one undo step: applied in order, reverted in reverse order.
 *
 * @example
 * ```ts
 * const paste = groupCommands('Paste', [addNodes, addConnections]);
 * ```
 */
export function groupCommands(label: string, commands: readonly WorkflowCommand[]): WorkflowCommand {
  return {
    label,
    apply: (wf) => commands.reduce((acc, c) => c.apply(acc), wf),
    revert: (wf) => commands.reduceRight((acc, c) => c.revert(acc), wf),
  };
}
