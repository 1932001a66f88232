import type { MappingStatus } from './import-report.js';
import { LiteralCode } from './n8n/n8n-values.js';

/** One Weft node of a mapping, before ids and names are given out. */
export interface PlannedNode {
  /** '' for the node that keeps the source node's name; otherwise a suffix for its name. */
  key: string;
  type: string;
  parameters: Record<string, unknown>;
  notes?: string;
}

/** A connection between two planned nodes of the same mapping. */
export interface PlannedEdge {
  from: string;
  fromPort?: string;
  to: string;
  toPort?: string;
}

/** Where a source port lands among the planned nodes. */
export interface PortRef {
  key: string;
  port: string;
}

/**
 * What one source node becomes: usually one Weft node, sometimes a small composition. Source
 * output (and input) index i connects to `outputs[i]` (`inputs[i]`).
 */
export interface Mapping {
  nodes: PlannedNode[];
  edges: PlannedEdge[];
  inputs: PortRef[];
  /** A source output may land on several ports (e.g. a Switch route that is also the fallback). */
  outputs: (PortRef | PortRef[])[];
  status: MappingStatus;
  differences: string[];
  /** Weft credential type the node needs (slot `auth`). */
  credentialType?: string;
}

/**
 * A mapping to one Weft node.
 *
 * @example
 * ```ts
 * single('weft.if', { conditions: [] }, { outputs: ['true', 'false'] });
 * ```
 */
export function single(
  type: string,
  parameters: Record<string, unknown>,
  options: { outputs?: string[]; inputs?: string[]; differences?: string[]; credentialType?: string } = {},
): Mapping {
  const differences = options.differences ?? [];
  return {
    nodes: [{ key: '', type, parameters }],
    edges: [],
    inputs: (options.inputs ?? ['main']).map((port) => ({ key: '', port })),
    outputs: (options.outputs ?? ['main']).map((port) => ({ key: '', port })),
    status: differences.length ? 'differences' : 'exact',
    differences,
    ...(options.credentialType ? { credentialType: options.credentialType } : {}),
  };
}

/**
 * A clearly marked placeholder for a node Weft cannot run: a Code node that fails with the reason,
 * so the workflow still validates and nothing is dropped silently.
 *
 * @example
 * ```ts
 * unsupported('n8n node "n8n-nodes-base.ftp" has no Weft equivalent', 2);
 * ```
 */
export function unsupported(reason: string, outputCount = 1): Mapping {
  const code = new LiteralCode(`throw new Error(${JSON.stringify(`Not imported: ${reason}`)});`);
  return {
    nodes: [{ key: '', type: 'weft.code', parameters: { mode: 'allItems', code }, notes: `UNSUPPORTED — ${reason}` }],
    edges: [],
    inputs: [{ key: '', port: 'main' }],
    outputs: Array.from({ length: Math.max(1, outputCount) }, () => ({ key: '', port: 'main' })),
    status: 'unsupported',
    differences: [reason],
  };
}

/**
 * A composition of nodes run one after another: the first takes the input, the last gives the
 * output. The first keeps the source name (key ''), the others are named by their keys.
 *
 * @example
 * ```ts
 * chain([{ key: '', type: 'weft.removeFields', parameters: {} }, { key: 'set', type: 'weft.set', parameters: {} }], ['implemented as two nodes']);
 * ```
 */
export function chain(nodes: PlannedNode[], differences: string[] = []): Mapping {
  const last = nodes[nodes.length - 1] as PlannedNode;
  return {
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ from: (nodes[i] as PlannedNode).key, to: n.key })),
    inputs: [{ key: (nodes[0] as PlannedNode).key, port: 'main' }],
    outputs: [{ key: last.key, port: 'main' }],
    status: differences.length ? 'differences' : 'exact',
    differences,
  };
}
