import type { Connection, Item, StickyNote, Workflow, WorkflowNode } from '@weft/engine';
import { NOTE_PREFIX } from '../model/canvas-graph.js';
import { edgeId } from '../model/edge-id.js';
import { groupCommands, type WorkflowCommand } from './workflow-command.js';

/** Nodes, connections and sticky notes added or removed together. */
export interface WorkflowFragment {
  nodes?: WorkflowNode[];
  connections?: Connection[];
  notes?: StickyNote[];
  /** Pinned data of the fragment's nodes, by node id: removed and restored with them. */
  pinData?: Record<string, Item[]>;
}

/** The document with `pinData` replaced (left out when empty). */
function withPins(wf: Workflow, pins: Record<string, Item[]>): Workflow {
  const { pinData: _, ...rest } = wf;
  return Object.keys(pins).length ? { ...rest, pinData: pins } : rest;
}

/** A position change of a node or note (note ids carry the `note:` prefix). */
export interface Move {
  id: string;
  from: [number, number];
  to: [number, number];
}

function add(wf: Workflow, f: WorkflowFragment): Workflow {
  const added = {
    ...wf,
    nodes: [...wf.nodes, ...(f.nodes ?? [])],
    connections: [...(wf.connections ?? []), ...(f.connections ?? [])],
    ...(f.notes?.length || wf.notes ? { notes: [...(wf.notes ?? []), ...(f.notes ?? [])] } : {}),
  };
  return f.pinData ? withPins(added, { ...wf.pinData, ...f.pinData }) : added;
}

function remove(wf: Workflow, f: WorkflowFragment): Workflow {
  const nodeIds = new Set((f.nodes ?? []).map((n) => n.id));
  const noteIds = new Set((f.notes ?? []).map((n) => n.id));
  const edges = new Set((f.connections ?? []).map(edgeId));
  const removed = {
    ...wf,
    nodes: wf.nodes.filter((n) => !nodeIds.has(n.id)),
    connections: (wf.connections ?? []).filter((c) => !edges.has(edgeId(c))),
    ...(wf.notes ? { notes: wf.notes.filter((n) => !noteIds.has(n.id)) } : {}),
  };
  if (!wf.pinData) return removed;
  return withPins(removed, Object.fromEntries(Object.entries(wf.pinData).filter(([id]) => !nodeIds.has(id))));
}

function place(wf: Workflow, moves: readonly Move[], key: 'from' | 'to'): Workflow {
  const byId = new Map(moves.map((m) => [m.id, m[key]]));
  return {
    ...wf,
    nodes: wf.nodes.map((n) => {
      const p = byId.get(n.id);
      return p ? { ...n, position: [p[0], p[1]] } : n;
    }),
    ...(wf.notes
      ? {
          notes: wf.notes.map((n) => {
            const p = byId.get(NOTE_PREFIX + n.id);
            return p ? { ...n, position: [p[0], p[1]] } : n;
          }),
        }
      : {}),
  };
}

/**
 * Factories for the editor's undoable changes.
 *
 * @example
 * ```ts
 * wf = history.execute(wf, workflowEdits.add('Add node', { nodes: [node] }));
 * wf = history.execute(wf, workflowEdits.move([{ id: node.id, from: [0, 0], to: [40, 0] }]));
 * ```
 */
export const workflowEdits = {
  /** Adds nodes, connections and notes. */
  add(label: string, fragment: WorkflowFragment): WorkflowCommand {
    return { label, apply: (wf) => add(wf, fragment), revert: (wf) => remove(wf, fragment) };
  },

  /** Removes nodes, connections and notes; undo puts them back. */
  remove(label: string, fragment: WorkflowFragment): WorkflowCommand {
    return { label, apply: (wf) => remove(wf, fragment), revert: (wf) => add(wf, fragment) };
  },

  /**
   * Removes nodes and notes by id along with every connection that touches a removed node, plus
   * the given connections.
   */
  removeSelection(wf: Workflow, ids: ReadonlySet<string>, connectionIds: ReadonlySet<string>): WorkflowCommand {
    const nodes = wf.nodes.filter((n) => ids.has(n.id));
    const notes = (wf.notes ?? []).filter((n) => ids.has(NOTE_PREFIX + n.id));
    const connections = (wf.connections ?? []).filter(
      (c) => ids.has(c.source) || ids.has(c.target) || connectionIds.has(edgeId(c)),
    );
    const count = nodes.length + notes.length + (nodes.length || notes.length ? 0 : connections.length);
    const pinData = Object.fromEntries(Object.entries(wf.pinData ?? {}).filter(([id]) => ids.has(id)));
    return workflowEdits.remove(`Delete ${count} item${count === 1 ? '' : 's'}`, {
      nodes,
      notes,
      connections,
      ...(Object.keys(pinData).length ? { pinData } : {}),
    });
  },

  /** Pins items as a node's output (`undefined` unpins); `before` is what was pinned. */
  pin(node: WorkflowNode, before: Item[] | undefined, after: Item[] | undefined): WorkflowCommand {
    const set = (items: Item[] | undefined) => (wf: Workflow) => {
      const { [node.id]: _, ...others } = wf.pinData ?? {};
      return withPins(wf, items ? { ...others, [node.id]: items } : others);
    };
    return { label: after ? `Pin data of ${node.name}` : `Unpin ${node.name}`, apply: set(after), revert: set(before) };
  },

  /** Moves nodes and notes. */
  move(moves: readonly Move[], mergeKey?: string): WorkflowCommand {
    const command: WorkflowCommand = {
      label: moves.length === 1 ? 'Move node' : `Move ${moves.length} items`,
      apply: (wf) => place(wf, moves, 'to'),
      revert: (wf) => place(wf, moves, 'from'),
    };
    if (mergeKey) command.mergeKey = mergeKey;
    return command;
  },

  /** Replaces one node (parameters, name, settings). */
  updateNode(before: WorkflowNode, after: WorkflowNode, mergeKey?: string): WorkflowCommand {
    const swap = (from: WorkflowNode, to: WorkflowNode) => (wf: Workflow) => ({
      ...wf,
      nodes: wf.nodes.map((n) => (n.id === from.id ? to : n)),
    });
    const command: WorkflowCommand = {
      label: `Edit ${after.name}`,
      apply: swap(before, after),
      revert: swap(after, before),
    };
    if (mergeKey) command.mergeKey = mergeKey;
    return command;
  },

  /** Replaces one sticky note (text, size, colour). */
  updateNote(before: StickyNote, after: StickyNote, mergeKey?: string): WorkflowCommand {
    const swap = (to: StickyNote) => (wf: Workflow) => ({
      ...wf,
      notes: (wf.notes ?? []).map((n) => (n.id === to.id ? to : n)),
    });
    const command: WorkflowCommand = { label: 'Edit note', apply: swap(after), revert: swap(before) };
    if (mergeKey) command.mergeKey = mergeKey;
    return command;
  },

  /** Several edits as one undo step. */
  group: groupCommands,
};
