import { type NodeRunView, nodeInput } from '@weft/canvas';
import type { ExecutionDetail } from '@weft/client';
import type { Item, Workflow } from '@weft/engine';

/** A node's data in a run, as the editor's inspector and execution view take it. */
export interface NodeRunData {
  /** The node's input items on `main` (feeds `$json` autocomplete and previews). */
  inputItems: Item[];
  /** The `main` output of every node that ran, by node name (`$("Node")`). */
  nodeOutputs: Record<string, Item[]>;
  /** What `<weft-execution-view>` shows: the run, or only the input a node that has not run will get; null when neither. */
  view: NodeRunView | null;
}

/**
 * The run data of one node of `workflow` in an execution. The engine records inputs only for a
 * run's first nodes, so the others get theirs from the upstream outputs ({@link nodeInput}):
 * a failed node's Input tab counts what its edge carried, and a node added after a run already
 * offers its upstream fields.
 *
 * @example
 * ```ts
 * const { inputItems, view } = nodeRunData(doc, lastRun, selectedNodeId);
 * ```
 */
export function nodeRunData(
  workflow: Workflow | undefined,
  execution: ExecutionDetail | undefined,
  nodeId: string | undefined,
): NodeRunData {
  const runs = execution?.nodeRuns ?? [];
  const nodeOutputs: Record<string, Item[]> = {};
  for (const r of runs) if (r.output) nodeOutputs[r.nodeName] = r.output.main ?? [];
  if (!nodeId) return { inputItems: [], nodeOutputs, view: null };
  const input = nodeInput(workflow?.connections ?? [], runs, nodeId);
  const run = runs.filter((r) => r.nodeId === nodeId).at(-1);
  const view: NodeRunView | null = run
    ? {
        nodeName: run.nodeName,
        status: run.status,
        durationMs: run.finishedAt - run.startedAt,
        ...(input ? { input } : {}),
        ...(run.output ? { output: run.output } : {}),
        ...(run.error ? { error: run.error } : {}),
      }
    : input
      ? { nodeName: workflow?.nodes.find((n) => n.id === nodeId)?.name ?? nodeId, status: 'not run yet', input }
      : null;
  return { inputItems: input?.main ?? [], nodeOutputs, view };
}
