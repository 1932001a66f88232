import type { NodeTypeDescription, PortSpec, WorkflowNode } from '@weft/engine';

/** The input and output ports a node shows on the canvas. */
export interface NodePorts {
  inputs: PortSpec[];
  outputs: PortSpec[];
}

/** The ports a node type declares; `'dynamic'` sides become `[main]`, the default. */
export function declaredPorts(description: NodeTypeDescription | undefined): NodePorts {
  const side = (ports: unknown, fallback: PortSpec[]): PortSpec[] =>
    Array.isArray(ports) ? (ports as PortSpec[]) : fallback;
  return {
    inputs: side(description?.inputs, description?.trigger ? [] : [{ name: 'main' }]),
    outputs: side(description?.outputs, [{ name: 'main' }]),
  };
}

/**
 * The ports of a workflow node, from its type's description. Sides that depend on the parameters
 * (`'dynamic'`) show `main` plus every port a connection already uses; a node whose `onError` is
 * `route` also gets an `error` output.
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
  usedInputs: Iterable<string> = [],
): NodePorts {
  const declared = declaredPorts(description);
  const withUsed = (ports: PortSpec[], dynamic: boolean, used: Iterable<string>): PortSpec[] => {
    if (!dynamic && description) return ports;
    const names = new Set(ports.map((p) => p.name));
    return [...ports, ...[...used].filter((n) => !names.has(n) && names.add(n)).map((name) => ({ name }))];
  };
  const inputs = withUsed(declared.inputs, !Array.isArray(description?.inputs), usedInputs);
  let outputs = withUsed(declared.outputs, !Array.isArray(description?.outputs), usedOutputs);
  if (node.onError === 'route' && !outputs.some((p) => p.name === 'error')) {
    outputs = [...outputs, { name: 'error', label: 'Error' }];
  }
  return { inputs, outputs };
}
