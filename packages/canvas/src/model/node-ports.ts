import type { NodeTypeDescription, PortSpec, WorkflowNode } from '@weft/engine';

/** The input and output ports a node shows on the canvas. */
export interface NodePorts {
  inputs: PortSpec[];
  outputs: PortSpec[];
}

/**
 * The ports of a workflow node, from its type's description. Types whose outputs depend on their
 * parameters (`outputs: 'dynamic'`) show `main` plus every port a connection already uses; a node
 * whose `onError` is `route` also gets an `error` output.
 *
 * @example
 * ```ts
 * nodePorts(node, types.get(node.type), usedOutputs.get(node.id)); // { inputs: [{ name: 'main' }], outputs: [...] }
 * ```
 */
export function nodePorts(
  node: WorkflowNode,
  description: NodeTypeDescription | undefined,
  usedOutputs: Iterable<string> = [],
): NodePorts {
  const inputs = description?.inputs ?? (description?.trigger ? [] : [{ name: 'main' }]);
  let outputs: PortSpec[];
  if (!description || !(description.outputs === undefined || Array.isArray(description.outputs))) {
    const names = new Set(['main', ...usedOutputs]);
    outputs = [...names].map((name) => ({ name }));
  } else {
    outputs = (description.outputs as PortSpec[] | undefined) ?? [{ name: 'main' }];
  }
  if (node.onError === 'route' && !outputs.some((p) => p.name === 'error')) {
    outputs = [...outputs, { name: 'error', label: 'Error' }];
  }
  return { inputs, outputs };
}
