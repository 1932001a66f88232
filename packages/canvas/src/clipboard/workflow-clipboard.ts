import type { Connection, Item, StickyNote, Workflow, WorkflowNode } from '@weft/engine';
import type { WorkflowFragment } from '../history/workflow-edits.js';
import { NOTE_PREFIX } from '../model/canvas-graph.js';
import { newId } from '../model/new-id.js';

/** The marker that tells Weft clipboard text from any other JSON. */
export const CLIPBOARD_KIND = 'weft/workflow-fragment';

/** What the canvas writes to the clipboard: plain workflow JSON with a marker. */
export interface ClipboardPayload {
  kind: typeof CLIPBOARD_KIND;
  nodes: WorkflowNode[];
  connections: Connection[];
  notes: StickyNote[];
  /** Pinned outputs of the copied nodes, by node id (as in n8n, pins travel with their nodes). */
  pinData?: Record<string, Item[]>;
}

/**
 * The clipboard text for the selected nodes and notes: the nodes, the connections between them,
 * the notes and the nodes' pinned outputs, as JSON another tab (or another Weft editor) can paste.
 *
 * @example
 * ```ts
 * await navigator.clipboard.writeText(copyToClipboardText(workflow, new Set(['a', 'b'])));
 * ```
 */
export function copyToClipboardText(workflow: Workflow, ids: ReadonlySet<string>): string {
  const nodes = workflow.nodes.filter((n) => ids.has(n.id));
  const notes = (workflow.notes ?? []).filter((n) => ids.has(NOTE_PREFIX + n.id));
  const connections = (workflow.connections ?? []).filter((c) => ids.has(c.source) && ids.has(c.target));
  const pins = Object.entries(workflow.pinData ?? {}).filter(([id]) => ids.has(id));
  const payload: ClipboardPayload = {
    kind: CLIPBOARD_KIND,
    nodes,
    connections,
    notes,
    ...(pins.length ? { pinData: Object.fromEntries(pins) } : {}),
  };
  return JSON.stringify(payload, null, 2);
}

/** Reads clipboard text; accepts the canvas's own payload or a whole workflow document. */
export function parseClipboardText(text: string): ClipboardPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<ClipboardPayload> & { kind?: string };
  if (!Array.isArray(v.nodes)) return null;
  if (v.kind !== undefined && v.kind !== CLIPBOARD_KIND) return null;
  const valid = v.nodes.every(
    (n) =>
      n &&
      typeof n === 'object' &&
      typeof n.id === 'string' &&
      typeof n.type === 'string' &&
      typeof n.name === 'string',
  );
  if (!valid) return null;
  const pins =
    v.pinData && typeof v.pinData === 'object'
      ? Object.entries(v.pinData).filter(([, items]) => Array.isArray(items))
      : [];
  return {
    kind: CLIPBOARD_KIND,
    nodes: v.nodes,
    connections: Array.isArray(v.connections) ? v.connections : [],
    notes: Array.isArray(v.notes) ? v.notes : [],
    ...(pins.length ? { pinData: Object.fromEntries(pins) } : {}),
  };
}

function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  const base = name.replace(/ \d+$/, '');
  let i = 1;
  while (taken.has(`${base} ${i}`)) i++;
  return `${base} ${i}`;
}

/**
 * The fragment to add when pasting into `workflow`: fresh ids, names made unique (`Set` becomes
 * `Set 1`), connections and pinned outputs remapped, everything moved by `offset` (or placed with
 * its top-left at `at`).
 *
 * @example
 * ```ts
 * const fragment = pasteFragment(workflow, payload, { offset: [40, 40] });
 * wf = history.execute(wf, workflowEdits.add('Paste', fragment));
 * ```
 */
export function pasteFragment(
  workflow: Workflow,
  payload: ClipboardPayload,
  place: { offset?: [number, number]; at?: [number, number] } = {},
  makeId: () => string = newId,
): Required<Omit<WorkflowFragment, 'pinData'>> & Pick<WorkflowFragment, 'pinData'> {
  const takenIds = new Set(workflow.nodes.map((n) => n.id));
  const takenNames = new Set(workflow.nodes.map((n) => n.name));
  const positions = [...payload.nodes.map((n) => n.position ?? [0, 0]), ...payload.notes.map((n) => n.position)];
  const minX = Math.min(...positions.map((p) => p[0] ?? 0));
  const minY = Math.min(...positions.map((p) => p[1] ?? 0));
  const [dx, dy] = place.at ? [place.at[0] - minX, place.at[1] - minY] : (place.offset ?? [40, 40]);
  const ids = new Map<string, string>();
  const nodes = payload.nodes.map((n) => {
    let id = makeId();
    while (takenIds.has(id)) id = makeId();
    takenIds.add(id);
    ids.set(n.id, id);
    const name = uniqueName(n.name, takenNames);
    takenNames.add(name);
    const [x, y] = n.position ?? [0, 0];
    return { ...structuredClone(n), id, name, position: [x + dx, y + dy] as [number, number] };
  });
  const connections = payload.connections
    .filter((c) => ids.has(c.source) && ids.has(c.target))
    .map((c) => ({ ...c, source: ids.get(c.source)!, target: ids.get(c.target)! }));
  const notes = payload.notes.map((n) => ({
    ...n,
    id: makeId(),
    position: [n.position[0] + dx, n.position[1] + dy] as [number, number],
  }));
  const pins = Object.entries(payload.pinData ?? {}).flatMap(([id, items]) => {
    const to = ids.get(id);
    return to ? [[to, structuredClone(items)] as const] : [];
  });
  return { nodes, connections, notes, ...(pins.length ? { pinData: Object.fromEntries(pins) } : {}) };
}
