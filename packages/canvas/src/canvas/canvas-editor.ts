import type { Connection, Item, NodeTypeDescription, Workflow, WorkflowNode } from '@weft/engine';
import { copyToClipboardText, parseClipboardText, pasteFragment } from '../clipboard/workflow-clipboard.js';
import { CommandHistory } from '../history/command-history.js';
import type { WorkflowCommand } from '../history/workflow-command.js';
import { type Move, workflowEdits } from '../history/workflow-edits.js';
import { CanvasGraph, NOTE_PREFIX } from '../model/canvas-graph.js';
import { connectionProblem } from '../model/connection-rules.js';
import { freePosition } from '../model/free-position.js';
import { newId } from '../model/new-id.js';
import { NODE_WIDTH } from '../model/node-geometry.js';
import { declaredPorts } from '../model/node-ports.js';

/** What changed after an editor operation, so the element knows which events to fire. */
export interface EditorChange {
  workflow: boolean;
  selection: boolean;
  label?: string;
}

/**
 * The editor's state without any DOM: the workflow document, its laid-out graph, the selection
 * and the undo history. `<weft-canvas>` owns one and turns its changes into events.
 *
 * @example
 * ```ts
 * const editor = new CanvasEditor(workflow, nodeTypes);
 * editor.connect({ source: 'a', target: 'b' });
 * editor.undo();
 * editor.workflow.connections.length; // back to what it was
 * ```
 */
export class CanvasEditor {
  readonly history = new CommandHistory();
  readonly selected = new Set<string>();
  readonly selectedEdges = new Set<string>();
  #types = new Map<string, NodeTypeDescription>();
  #workflow: Workflow;
  #graph: CanvasGraph;

  constructor(workflow: Workflow, nodeTypes: readonly NodeTypeDescription[] = []) {
    this.#workflow = workflow;
    this.setNodeTypes(nodeTypes);
    this.#graph = new CanvasGraph(workflow, this.#types);
  }

  get workflow(): Workflow {
    return this.#workflow;
  }

  get graph(): CanvasGraph {
    return this.#graph;
  }

  get types(): ReadonlyMap<string, NodeTypeDescription> {
    return this.#types;
  }

  setNodeTypes(nodeTypes: readonly NodeTypeDescription[]): void {
    this.#types = new Map(nodeTypes.map((t) => [t.type, t]));
    if (this.#workflow) this.#graph = new CanvasGraph(this.#workflow, this.#types);
  }

  /** Loads a document from outside: the history is cleared, the selection kept where it still applies. */
  load(workflow: Workflow): void {
    this.history.clear();
    this.#set(workflow);
  }

  /** Runs an undoable command. */
  execute(command: WorkflowCommand): EditorChange {
    this.#set(this.history.execute(this.#workflow, command));
    return { workflow: true, selection: this.#pruneSelection(), label: command.label };
  }

  undo(): EditorChange {
    const label = this.history.undoLabel;
    const wf = this.history.undo(this.#workflow);
    if (!wf) return { workflow: false, selection: false };
    this.#set(wf);
    return { workflow: true, selection: this.#pruneSelection(), label: `Undo ${label}` };
  }

  redo(): EditorChange {
    const label = this.history.redoLabel;
    const wf = this.history.redo(this.#workflow);
    if (!wf) return { workflow: false, selection: false };
    this.#set(wf);
    return { workflow: true, selection: this.#pruneSelection(), label: `Redo ${label}` };
  }

  /** Adds a connection when it is valid; returns the reason when it is not. */
  connect(c: Connection): { change?: EditorChange; problem?: string } {
    const connection: Connection = { source: c.source, target: c.target };
    if (c.sourcePort && c.sourcePort !== 'main') connection.sourcePort = c.sourcePort;
    if (c.targetPort && c.targetPort !== 'main') connection.targetPort = c.targetPort;
    const problem = connectionProblem(this.#graph, connection);
    if (problem) return { problem };
    return { change: this.execute(workflowEdits.add('Connect', { connections: [connection] })) };
  }

  /**
   * Adds a node of `type` at `position` (moved down until it overlaps no other node), optionally
   * connected to an open connection end.
   */
  addNode(
    type: string,
    position: [number, number],
    from?: { nodeId: string; port: string; handle: 'source' | 'target' },
  ): { node: WorkflowNode; change: EditorChange } {
    const description = this.#types.get(type);
    const taken = new Set(this.#workflow.nodes.map((n) => n.name));
    const base = description?.displayName ?? type;
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base} ${i}`;
    const parameters: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(description?.parameters ?? {})) {
      if ('default' in spec && spec.default !== undefined) parameters[key] = structuredClone(spec.default);
    }
    const occupied = [...this.#graph.lookup.values()].map((n) => ({
      ...n.internals.positionAbsolute,
      width: n.measured.width ?? NODE_WIDTH,
      height: n.measured.height ?? 62,
    }));
    const node: WorkflowNode = { id: newId(), name, type, parameters, position: freePosition(occupied, position) };
    if (description?.version !== undefined) node.typeVersion = description.version;
    const connections: Connection[] = [];
    if (from) {
      const { inputs, outputs } = declaredPorts(description);
      if (from.handle === 'source' && inputs[0]) {
        connections.push(this.#conn(from.nodeId, from.port, node.id, inputs[0].name));
      } else if (from.handle === 'target' && outputs[0]) {
        connections.push(this.#conn(node.id, outputs[0].name, from.nodeId, from.port));
      }
    }
    const change = this.execute(workflowEdits.add(`Add ${name}`, { nodes: [node], connections }));
    this.select([node.id]);
    return { node, change: { ...change, selection: true } };
  }

  /** Adds a sticky note at `position` and selects it. */
  addNote(position: [number, number], text = 'Note'): EditorChange {
    const note = { id: newId(), text, position, size: [240, 120] as [number, number] };
    const change = this.execute(workflowEdits.add('Add note', { notes: [note] }));
    this.select([NOTE_PREFIX + note.id]);
    return { ...change, selection: true };
  }

  /** Changes a sticky note's text. */
  setNoteText(noteId: string, text: string): EditorChange {
    const before = this.#workflow.notes?.find((n) => n.id === noteId);
    if (!before || before.text === text) return { workflow: false, selection: false };
    return this.execute(workflowEdits.updateNote(before, { ...before, text }));
  }

  /** Deletes the selected nodes, notes and connections. */
  deleteSelection(): EditorChange {
    if (this.selected.size === 0 && this.selectedEdges.size === 0) return { workflow: false, selection: false };
    const command = workflowEdits.removeSelection(this.#workflow, this.selected, this.selectedEdges);
    this.selected.clear();
    this.selectedEdges.clear();
    return { ...this.execute(command), selection: true };
  }

  /** Records a finished drag or nudge as one move step. */
  move(moves: readonly Move[], mergeKey?: string): EditorChange {
    const real = moves.filter((m) => m.from[0] !== m.to[0] || m.from[1] !== m.to[1]);
    if (real.length === 0) return { workflow: false, selection: false };
    return this.execute(workflowEdits.move(real, mergeKey));
  }

  /** Replaces one node (from the inspector); consecutive edits of one field merge into one step. */
  updateNode(node: WorkflowNode, mergeKey?: string): EditorChange {
    const before = this.#workflow.nodes.find((n) => n.id === node.id);
    if (!before) return { workflow: false, selection: false };
    return this.execute(workflowEdits.updateNode(before, node, mergeKey));
  }

  /** Pins items as a node's output in the document's `pinData` (`undefined` unpins), as one undo step. */
  pin(nodeId: string, items: Item[] | undefined): EditorChange {
    const node = this.#workflow.nodes.find((n) => n.id === nodeId);
    if (!node) return { workflow: false, selection: false };
    return this.execute(workflowEdits.pin(node, this.#workflow.pinData?.[nodeId], items));
  }

  /** The clipboard text for the selection, or null when nothing is selected. */
  copySelection(): string | null {
    if (this.selected.size === 0) return null;
    return copyToClipboardText(this.#workflow, this.selected);
  }

  /** Pastes clipboard text; the pasted items become the selection. */
  paste(text: string, place: { offset?: [number, number]; at?: [number, number] } = {}): EditorChange | null {
    const payload = parseClipboardText(text);
    if (!payload || payload.nodes.length + payload.notes.length === 0) return null;
    const fragment = pasteFragment(this.#workflow, payload, place);
    const count = fragment.nodes.length + fragment.notes.length;
    const change = this.execute(workflowEdits.add(`Paste ${count} item${count === 1 ? '' : 's'}`, fragment));
    this.select([...fragment.nodes.map((n) => n.id), ...fragment.notes.map((n) => NOTE_PREFIX + n.id)]);
    return { ...change, selection: true };
  }

  /** Selects exactly the given ids (nodes and `note:` ids) and edge ids. */
  select(ids: Iterable<string>, edges: Iterable<string> = []): EditorChange {
    const before = [...this.selected, '|', ...this.selectedEdges].join(',');
    this.selected.clear();
    this.selectedEdges.clear();
    for (const id of ids) if (this.#graph.items.has(id)) this.selected.add(id);
    const known = new Set(this.#graph.edges.map((e) => e.id));
    for (const id of edges) if (known.has(id)) this.selectedEdges.add(id);
    this.#syncSelected();
    return { workflow: false, selection: before !== [...this.selected, '|', ...this.selectedEdges].join(',') };
  }

  /** Adds or removes one id from the selection. */
  toggle(id: string, edge = false): EditorChange {
    const set = edge ? this.selectedEdges : this.selected;
    if (set.has(id)) set.delete(id);
    else set.add(id);
    this.#syncSelected();
    return { workflow: false, selection: true };
  }

  selectAll(): EditorChange {
    return this.select(this.#graph.items.keys());
  }

  #conn(source: string, sourcePort: string, target: string, targetPort: string): Connection {
    const c: Connection = { source, target };
    if (sourcePort !== 'main') c.sourcePort = sourcePort;
    if (targetPort !== 'main') c.targetPort = targetPort;
    return c;
  }

  #set(workflow: Workflow): void {
    this.#workflow = workflow;
    this.#graph = new CanvasGraph(workflow, this.#types);
    this.#syncSelected();
  }

  #pruneSelection(): boolean {
    let changed = false;
    for (const id of this.selected) if (!this.#graph.items.has(id)) changed = this.selected.delete(id) || changed;
    const known = new Set(this.#graph.edges.map((e) => e.id));
    for (const id of this.selectedEdges) if (!known.has(id)) changed = this.selectedEdges.delete(id) || changed;
    this.#syncSelected();
    return changed;
  }

  #syncSelected(): void {
    for (const [id, node] of this.#graph.lookup) node.selected = this.selected.has(id);
  }
}
