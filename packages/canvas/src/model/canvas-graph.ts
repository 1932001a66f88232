import type { Connection, NodeTypeDescription, StickyNote, Workflow, WorkflowNode } from '@weft/engine';
import { type Handle, type InternalNodeBase, Position } from '@xyflow/system';
import { edgeId } from './edge-id.js';
import { HANDLE_SIZE, NODE_WIDTH, nodeHeight, portOffset } from './node-geometry.js';
import { type NodePorts, nodePorts } from './node-ports.js';

/** Prefix of sticky-note ids inside the graph, so they never clash with node ids. */
export const NOTE_PREFIX = 'note:';
const DEFAULT_NOTE_SIZE: [number, number] = [240, 140];

/** A workflow node or sticky note as the canvas lays it out. */
export type GraphItem =
  | { kind: 'node'; id: string; node: WorkflowNode; ports: NodePorts; type: NodeTypeDescription | undefined }
  | { kind: 'note'; id: string; note: StickyNote };

/** A connection with its resolved end points. */
export interface GraphEdge {
  id: string;
  connection: Connection;
  sourcePort: string;
  targetPort: string;
}

/**
 * The workflow as xyflow sees it: one internal node per workflow node and sticky note, with
 * sizes and handle bounds computed from the node's ports instead of measured from the DOM (so
 * nodes outside the viewport, which are not rendered, still take part in connecting and layout).
 *
 * @example
 * ```ts
 * const graph = new CanvasGraph(workflow, new Map(types.map((t) => [t.type, t])));
 * graph.lookup.get('a')?.internals.positionAbsolute; // { x: 0, y: 0 }
 * ```
 */
export class CanvasGraph {
  readonly lookup = new Map<string, InternalNodeBase>();
  readonly items = new Map<string, GraphItem>();
  readonly edges: GraphEdge[] = [];
  readonly edgesByNode = new Map<string, GraphEdge[]>();

  constructor(
    readonly workflow: Workflow,
    types: ReadonlyMap<string, NodeTypeDescription>,
  ) {
    const usedOutputs = new Map<string, Set<string>>();
    const usedInputs = new Map<string, Set<string>>();
    const use = (map: Map<string, Set<string>>, id: string, port: string) => {
      const set = map.get(id) ?? new Set<string>();
      set.add(port);
      map.set(id, set);
    };
    for (const c of workflow.connections ?? []) {
      use(usedOutputs, c.source, c.sourcePort ?? 'main');
      use(usedInputs, c.target, c.targetPort ?? 'main');
    }
    for (const node of workflow.nodes) {
      const type = types.get(node.type);
      const ports = nodePorts(node, type, usedOutputs.get(node.id), usedInputs.get(node.id));
      this.items.set(node.id, { kind: 'node', id: node.id, node, ports, type });
      this.lookup.set(node.id, internalNode(node.id, node.position ?? [0, 0], NODE_WIDTH, nodeHeight(ports), ports));
    }
    for (const note of workflow.notes ?? []) {
      const id = NOTE_PREFIX + note.id;
      const [w, h] = note.size ?? DEFAULT_NOTE_SIZE;
      this.items.set(id, { kind: 'note', id, note });
      this.lookup.set(id, internalNode(id, note.position, w, h, null));
    }
    for (const connection of workflow.connections ?? []) {
      if (!this.lookup.has(connection.source) || !this.lookup.has(connection.target)) continue;
      const edge: GraphEdge = {
        id: edgeId(connection),
        connection,
        sourcePort: connection.sourcePort ?? 'main',
        targetPort: connection.targetPort ?? 'main',
      };
      this.edges.push(edge);
      for (const end of [connection.source, connection.target]) {
        const list = this.edgesByNode.get(end) ?? [];
        list.push(edge);
        this.edgesByNode.set(end, list);
      }
    }
  }

  /** The output ports of a node that have a connection. */
  connectedOutputs(nodeId: string): Set<string> {
    return new Set(
      (this.edgesByNode.get(nodeId) ?? []).filter((e) => e.connection.source === nodeId).map((e) => e.sourcePort),
    );
  }

  /** Absolute position of a handle's centre, or undefined when the node or port is unknown. */
  handlePoint(nodeId: string, type: 'source' | 'target', port: string): { x: number; y: number } | undefined {
    const node = this.lookup.get(nodeId);
    const handle = node?.internals.handleBounds?.[type]?.find((h) => h.id === port);
    if (!node || !handle) return undefined;
    const p = node.internals.positionAbsolute;
    return { x: p.x + handle.x + handle.width / 2, y: p.y + handle.y + handle.height / 2 };
  }

  /** Top-left position of a node or note. */
  position(id: string): { x: number; y: number } | undefined {
    return this.lookup.get(id)?.internals.positionAbsolute;
  }
}

function internalNode(
  id: string,
  [x, y]: readonly [number, number],
  width: number,
  height: number,
  ports: NodePorts | null,
): InternalNodeBase {
  const handles = (side: 'input' | 'output'): Handle[] =>
    (side === 'input' ? (ports?.inputs ?? []) : (ports?.outputs ?? [])).map((p, i) => {
      const o = portOffset(side, i);
      return {
        id: p.name,
        nodeId: id,
        type: side === 'input' ? 'target' : 'source',
        position: side === 'input' ? Position.Left : Position.Right,
        x: o.x - HANDLE_SIZE / 2,
        y: o.y - HANDLE_SIZE / 2,
        width: HANDLE_SIZE,
        height: HANDLE_SIZE,
      };
    });
  const position = { x, y };
  return {
    id,
    position,
    data: {},
    width,
    height,
    measured: { width, height },
    selected: false,
    internals: {
      positionAbsolute: { ...position },
      z: 0,
      userNode: { id, position, data: {} },
      handleBounds: ports ? { source: handles('output'), target: handles('input') } : { source: null, target: null },
    },
  };
}
