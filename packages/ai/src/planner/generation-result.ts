import type { Workflow } from '@weft/engine';

/**
 * Something in the prompt the generator could not turn into the workflow, or a value it had to
 * leave for a person to set. `nodeId` and `parameter` say where, when it concerns one.
 *
 * @example
 * ```ts
 * const u: Unresolved = { text: 'post to Slack', nodeId: 'n2', parameter: 'channel', reason: 'no channel named' };
 * ```
 */
export interface Unresolved {
  text: string;
  reason: string;
  nodeId?: string;
  parameter?: string;
}

/**
 * What `generateWorkflow` returns. `workflow` always passes `validateWorkflow` against the
 * catalogue it was generated for; `confidence` is from 0 to 1.
 *
 * @example
 * ```ts
 * const { workflow, explanation, confidence, unresolved } = await generateWorkflow(prompt, { catalogue });
 * ```
 */
export interface GenerationResult {
  workflow: Workflow;
  explanation: string;
  confidence: number;
  unresolved: Unresolved[];
  /** `offline` for the planner, `model` for a provider, `cache` for a cached model answer. */
  source: 'offline' | 'model' | 'cache';
}
