import type { NodeTypeDescription } from '../nodes/node-registry.js';
import type { PortSpec } from '../nodes/node-type.js';
import type { ParameterFields } from '../nodes/parameter-spec.js';

/** What validation needs to know about a node type; a description from an API is enough. */
export interface NodeTypeShape {
  parameters: ParameterFields;
  trigger?: boolean;
  inputs?: PortSpec[] | ((params: Record<string, unknown>) => PortSpec[]) | 'dynamic';
  outputs?: PortSpec[] | ((params: Record<string, unknown>) => PortSpec[]) | 'dynamic';
}

/** Where `validateWorkflow` looks node types up: a `NodeRegistry` or {@link nodeTypesFromDescriptions}. */
export interface NodeTypeSource {
  get(type: string, version?: number): NodeTypeShape | undefined;
  has(type: string): boolean;
}

/**
 * A source over serialisable node-type descriptions (e.g. `registry.describe()` fetched from a
 * host), so browsers can validate without the node implementations. Ports described as
 * `'dynamic'` are not checked.
 *
 * @example
 * ```ts
 * const types = await (await fetch('/api/v1/node-types')).json();
 * validateWorkflow(workflow, nodeTypesFromDescriptions(types));
 * ```
 */
export function nodeTypesFromDescriptions(descriptions: NodeTypeDescription[]): NodeTypeSource {
  const byType = new Map<string, NodeTypeDescription[]>();
  for (const d of descriptions) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  return {
    has: (type) => byType.has(type),
    get: (type, version) => {
      const list = byType.get(type);
      if (!list) return undefined;
      if (version !== undefined) return list.find((d) => d.version === version);
      return list.reduce((a, b) => (b.version > a.version ? b : a));
    },
  };
}

/** Ports of a node type, or undefined when they depend on data the source does not have. */
export function portsOf(
  ports: NodeTypeShape['inputs'],
  params: Record<string, unknown>,
  fallback: PortSpec[],
): PortSpec[] | undefined {
  if (ports === 'dynamic') return undefined;
  if (!ports) return fallback;
  return typeof ports === 'function' ? ports(params) : ports;
}
