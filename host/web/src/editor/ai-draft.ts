import type { Connection, Workflow, WorkflowNode } from '@weft/engine';

/** A progress event of `POST …/ai/generate/stream` (the `@weft/ai` draft events). */
export type AiDraftEvent =
  | { type: 'node-added'; node: WorkflowNode }
  | { type: 'connected'; connection: Connection }
  | { type: 'parameter-set'; nodeId: string; name: string; value: unknown }
  | { type: 'node-removed'; nodeId: string }
  | { type: 'disconnected'; connection: Connection };

const same = (a: Connection, b: Connection) =>
  a.source === b.source &&
  a.target === b.target &&
  (a.sourcePort ?? 'main') === (b.sourcePort ?? 'main') &&
  (a.targetPort ?? 'main') === (b.targetPort ?? 'main');

/**
 * Applies one progress event to the workflow being drawn and returns the next document. A new node
 * gets a position at once (right of the rightmost node, then beside its source once connected),
 * so the canvas can draw the workflow as it is built; the final answer brings the real layout.
 * `placed` holds ids whose position is settled (the edited workflow's nodes); it is updated.
 *
 * @example
 * ```ts
 * let shown = applyAiEvent(doc, { type: 'node-added', node });
 * canvas.workflow = shown;
 * ```
 */
export function applyAiEvent(doc: Workflow, e: AiDraftEvent, placed: Set<string>): Workflow {
  switch (e.type) {
    case 'node-added': {
      const xs = doc.nodes.map((n) => n.position?.[0] ?? 0);
      const x = xs.length ? Math.max(...xs) + 260 : 0;
      return { ...doc, nodes: [...doc.nodes, { ...e.node, position: e.node.position ?? [x, 0] }] };
    }
    case 'connected': {
      const src = doc.nodes.find((n) => n.id === e.connection.source);
      let nodes = doc.nodes;
      if (src?.position && !placed.has(e.connection.target)) {
        placed.add(e.connection.target);
        const siblings = doc.connections.filter((c) => c.source === src.id).length;
        const position: [number, number] = [src.position[0] + 260, src.position[1] + siblings * 160];
        nodes = nodes.map((n) => (n.id === e.connection.target ? { ...n, position } : n));
      }
      return { ...doc, nodes, connections: [...doc.connections, e.connection] };
    }
    case 'parameter-set':
      return {
        ...doc,
        nodes: doc.nodes.map((n) =>
          n.id === e.nodeId ? { ...n, parameters: { ...n.parameters, [e.name]: e.value } } : n,
        ),
      };
    case 'node-removed':
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => n.id !== e.nodeId),
        connections: doc.connections.filter((c) => c.source !== e.nodeId && c.target !== e.nodeId),
      };
    case 'disconnected':
      return { ...doc, connections: doc.connections.filter((c) => !same(c, e.connection)) };
  }
}
