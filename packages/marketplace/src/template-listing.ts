import type { Workflow } from '@weft/engine';

/** Connector ids a workflow uses: the prefix of each non-built-in node type (`slack.postMessage` -> `slack`). */
export function connectorsOf(workflow: Workflow): string[] {
  const ids = new Set<string>();
  for (const n of workflow.nodes) {
    const dot = n.type.indexOf('.');
    const prefix = dot > 0 ? n.type.slice(0, dot) : n.type;
    if (prefix !== 'weft') ids.add(prefix);
  }
  return [...ids].sort();
}

/** The node types of a workflow, sorted and once each. */
export function nodeTypesOf(workflow: Workflow): string[] {
  return [...new Set(workflow.nodes.map((n) => n.type))].sort();
}

/** What a catalogue shows of a workflow before it is bought or installed: the graph without parameters. */
export interface WorkflowPreview {
  nodes: Array<{ id: string; name: string; type: string; position?: [number, number] }>;
  connections: Workflow['connections'];
}

/**
 * The canvas preview of a workflow: nodes (id, name, type, position) and connections, no parameters.
 *
 * @example
 * ```ts
 * const preview = previewOf(version.workflow); // render with <weft-canvas readonly>
 * ```
 */
export function previewOf(workflow: Workflow): WorkflowPreview {
  return {
    nodes: workflow.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      type: n.type,
      ...(n.position ? { position: n.position } : {}),
    })),
    connections: workflow.connections,
  };
}
