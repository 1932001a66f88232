import type { Workflow } from '@weft/engine';
import type { WorkflowProblem } from '../model/problems-by-node.js';

/** Detail of `workflow-change`. */
export interface WorkflowChangeDetail {
  workflow: Workflow;
  /** What the user did, e.g. `Move node`, `Undo Connect`. */
  label: string;
}

/** Detail of `selection-change`. */
export interface SelectionChangeDetail {
  nodeIds: string[];
  noteIds: string[];
  edgeIds: string[];
}

/** Detail of `problems-change`: every problem the canvas draws (given and found by `validate`). */
export interface ProblemsChangeDetail {
  problems: WorkflowProblem[];
}

/** An open palette: where it shows and what a picked node connects to. */
export interface PaletteState {
  screen: { x: number; y: number };
  flow: [number, number];
  from?: { nodeId: string; port: string; handle: 'source' | 'target' };
}

declare global {
  interface HTMLElementEventMap {
    'workflow-change': CustomEvent<WorkflowChangeDetail>;
    'selection-change': CustomEvent<SelectionChangeDetail>;
    'node-open': CustomEvent<{ nodeId: string }>;
    'run-request': CustomEvent<{ workflow: Workflow }>;
    'palette-request': CustomEvent<undefined>;
    'problems-change': CustomEvent<ProblemsChangeDetail>;
  }
}
