import type { Connection, Workflow, WorkflowNode } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';

/** A change to a draft, as progress events report it. */
export type DraftEvent =
  | { type: 'node-added'; node: WorkflowNode }
  | { type: 'connected'; connection: Connection }
  | { type: 'parameter-set'; nodeId: string; name: string; value: unknown }
  | { type: 'node-removed'; nodeId: string }
  | { type: 'disconnected'; connection: Connection };

/** A draft operation that cannot apply: unknown node type or node, or a duplicate connection. */
export class DraftError extends Error {
  override name = 'DraftError';
}

/**
 * A workflow being built step by step — by the offline planner and by a model's tool calls
 * (add node, connect, set parameter). Node types must be in the catalogue; ids are `n1`, `n2`, …
 * and names are unique (a second "Slack: Send message" becomes "Slack: Send message 2"). Nodes are
 * laid out left to right by depth.
 *
 * @example
 * ```ts
 * const draft = new WorkflowDraft(catalogue, (e) => console.log(e.type));
 * const a = draft.addNode('weft.manualTrigger');
 * const b = draft.addNode('http.request', { parameters: { url: 'https://example.com' } });
 * draft.connect(a.id, b.id);
 * draft.toWorkflow('Fetch example.com');
 * ```
 */
export class WorkflowDraft {
  readonly nodes: WorkflowNode[] = [];
  readonly connections: Connection[] = [];
  readonly #types: Map<string, CatalogueEntry>;
  readonly #onEvent: (event: DraftEvent) => void;
  #seeded = false;

  constructor(catalogue: readonly CatalogueEntry[], onEvent: (event: DraftEvent) => void = () => {}) {
    this.#types = new Map(catalogue.map((e) => [e.type, e]));
    this.#onEvent = onEvent;
  }

  /**
   * A draft that starts from an existing workflow (for edits): its nodes keep their ids,
   * parameters and positions; nodes added later are placed beside the node they follow.
   */
  static from(
    workflow: Workflow,
    catalogue: readonly CatalogueEntry[],
    onEvent?: (event: DraftEvent) => void,
  ): WorkflowDraft {
    const draft = new WorkflowDraft(catalogue, onEvent);
    draft.nodes.push(...workflow.nodes.map((n) => structuredClone(n)));
    draft.connections.push(...workflow.connections.map((c) => ({ ...c })));
    draft.#seeded = true;
    return draft;
  }

  /** Adds a node of a catalogue type; throws a {@link DraftError} naming an unknown type. */
  addNode(type: string, options: { name?: string; parameters?: Record<string, unknown> } = {}): WorkflowNode {
    const entry = this.#types.get(type);
    if (!entry) throw new DraftError(`Unknown node type "${type}"`);
    const base =
      options.name?.trim() ||
      (entry.category && !entry.type.startsWith('weft.')
        ? `${entry.category}: ${entry.displayName}`
        : entry.displayName);
    let name = base;
    for (let i = 2; this.nodes.some((n) => n.name === name); i++) name = `${base} ${i}`;
    let n = this.nodes.length + 1;
    while (this.nodes.some((x) => x.id === `n${n}`)) n++;
    const node: WorkflowNode = { id: `n${n}`, name, type, parameters: { ...(options.parameters ?? {}) } };
    this.nodes.push(node);
    this.#onEvent({ type: 'node-added', node });
    return node;
  }

  /** Connects two nodes (by id or name); throws a {@link DraftError} for an unknown node or a repeat. */
  connect(source: string, target: string, sourcePort = 'main', targetPort = 'main'): Connection {
    const from = this.find(source);
    const to = this.find(target);
    const connection: Connection = { source: from.id, target: to.id };
    if (sourcePort !== 'main') connection.sourcePort = sourcePort;
    if (targetPort !== 'main') connection.targetPort = targetPort;
    const same = (c: Connection) =>
      c.source === from.id &&
      c.target === to.id &&
      (c.sourcePort ?? 'main') === sourcePort &&
      (c.targetPort ?? 'main') === targetPort;
    if (this.connections.some(same)) throw new DraftError(`"${from.name}" is already connected to "${to.name}"`);
    this.connections.push(connection);
    this.#onEvent({ type: 'connected', connection });
    return connection;
  }

  /** Sets one parameter of a node (by id or name). */
  setParameter(node: string, name: string, value: unknown): void {
    const n = this.find(node);
    n.parameters = { ...n.parameters, [name]: value };
    this.#onEvent({ type: 'parameter-set', nodeId: n.id, name, value });
  }

  /** Removes a node and its connections. */
  removeNode(node: string): void {
    const n = this.find(node);
    this.nodes.splice(this.nodes.indexOf(n), 1);
    for (let i = this.connections.length - 1; i >= 0; i--) {
      const c = this.connections[i] as Connection;
      if (c.source === n.id || c.target === n.id) this.connections.splice(i, 1);
    }
    this.#onEvent({ type: 'node-removed', nodeId: n.id });
  }

  /** Removes one connection (it must be one of {@link connections}). */
  disconnect(connection: Connection): void {
    const i = this.connections.indexOf(connection);
    if (i < 0) throw new DraftError(`No connection from "${connection.source}" to "${connection.target}"`);
    this.connections.splice(i, 1);
    this.#onEvent({ type: 'disconnected', connection });
  }

  /** The node with this id, or else this name; throws a {@link DraftError} when there is none. */
  find(idOrName: string): WorkflowNode {
    const node = this.nodes.find((n) => n.id === idOrName) ?? this.nodes.find((n) => n.name === idOrName);
    if (!node) throw new DraftError(`No node "${idOrName}" in the workflow`);
    return node;
  }

  /**
   * The workflow document, with positions laid out by depth from the triggers. Nodes that have a
   * position keep it; a new node in a positioned workflow goes right of the node it follows.
   */
  toWorkflow(name: string): Workflow {
    const depth = new Map<string, number>();
    const roots = this.nodes.filter((n) => !this.connections.some((c) => c.target === n.id));
    const queue = roots.map((n) => n.id);
    for (const id of queue) depth.set(id, 0);
    while (queue.length) {
      const id = queue.shift() as string;
      for (const c of this.connections) {
        if (c.source !== id || c.targetPort === 'continue' || depth.has(c.target)) continue;
        depth.set(c.target, (depth.get(id) ?? 0) + 1);
        queue.push(c.target);
      }
    }
    const rows = new Map<number, number>();
    const placed = new Map<string, [number, number]>();
    for (const n of this.nodes) if (n.position) placed.set(n.id, n.position);
    const taken = (p: [number, number]) => [...placed.values()].some(([x, y]) => x === p[0] && y === p[1]);
    const nodes = this.nodes.map((n) => {
      if (n.position) return { ...n };
      const from = this.#seeded ? this.connections.find((c) => c.target === n.id && placed.has(c.source)) : undefined;
      let position: [number, number];
      if (from) {
        const [x, y] = placed.get(from.source) as [number, number];
        position = [x + 260, y];
        while (taken(position)) position = [position[0], position[1] + 160];
      } else {
        const d = depth.get(n.id) ?? 0;
        const row = rows.get(d) ?? 0;
        rows.set(d, row + 1);
        position = [d * 260, row * 160];
        while (placed.size && taken(position)) position = [position[0], position[1] + 160];
      }
      placed.set(n.id, position);
      return { ...n, position };
    });
    return { name: name.slice(0, 300) || 'Generated workflow', nodes, connections: [...this.connections] };
  }
}
