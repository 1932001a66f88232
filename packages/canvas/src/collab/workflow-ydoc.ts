import type { Connection, StickyNote, Workflow, WorkflowNode } from '@weft/engine';
import * as Y from 'yjs';
import { edgeId } from '../model/edge-id.js';

/*
 * Layout of a workflow in a Y.Doc:
 *   meta:        Y.Map  name, description, settings, tags, ... (JSON values)
 *   nodes:       Y.Map  node id -> Y.Map { i, id, name, type, position, ..., parameters: Y.Map }
 *   connections: Y.Map  edgeId -> { i, c: Connection }
 *   notes:       Y.Map  note id -> { i, n: StickyNote }
 * `i` keeps the document order stable across replicas (ties broken by key).
 */

type Json = unknown;
const same = (a: Json, b: Json): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
const META_KEYS = ['$schema', 'id', 'name', 'description', 'version', 'settings', 'tags', 'pinData'] as const;

/** The shared maps of a workflow document. */
export function workflowMaps(doc: Y.Doc) {
  return {
    meta: doc.getMap<Json>('meta'),
    nodes: doc.getMap<Y.Map<Json>>('nodes'),
    connections: doc.getMap<{ i: number; c: Connection }>('connections'),
    notes: doc.getMap<{ i: number; n: StickyNote }>('notes'),
  };
}

function syncMap(target: Y.Map<Json>, values: Record<string, Json>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (!target.has(k) || !same(target.get(k), v)) target.set(k, structuredClone(v));
  }
  for (const k of [...target.keys()]) if (values[k] === undefined) target.delete(k);
}

function writeNode(y: Y.Map<Json>, node: WorkflowNode): void {
  const { parameters, ...fields } = node;
  const plain: Record<string, Json> = { ...fields };
  for (const k of [...y.keys()]) if (k !== 'i' && k !== 'parameters' && !(k in plain)) y.delete(k);
  for (const [k, v] of Object.entries(plain)) {
    if (v !== undefined && (!y.has(k) || !same(y.get(k), v))) y.set(k, structuredClone(v));
  }
  let params = y.get('parameters');
  if (!(params instanceof Y.Map)) {
    params = new Y.Map<Json>();
    y.set('parameters', params);
  }
  syncMap(params as Y.Map<Json>, parameters ?? {});
}

function nextIndex(values: Iterable<Json>): number {
  let max = -1;
  for (const v of values) {
    const i = v instanceof Y.Map ? v.get('i') : (v as { i?: number }).i;
    if (typeof i === 'number' && i > max) max = i;
  }
  return max + 1;
}

/**
 * Writes `workflow` into `doc` as the smallest set of changes (one transaction with `origin`):
 * only the node fields, parameters, connections and notes that differ are touched, so edits other
 * replicas make at the same time to other nodes or other parameters merge instead of being
 * overwritten.
 *
 * @example
 * ```ts
 * const doc = new Y.Doc();
 * writeWorkflow(doc, workflow, 'local');
 * readWorkflow(doc); // deep-equals workflow
 * ```
 */
export function writeWorkflow(doc: Y.Doc, workflow: Workflow, origin: unknown = null): void {
  const { meta, nodes, connections, notes } = workflowMaps(doc);
  doc.transact(() => {
    const m: Record<string, Json> = {};
    for (const k of META_KEYS) m[k] = workflow[k];
    syncMap(meta, m);
    const ids = new Set(workflow.nodes.map((n) => n.id));
    for (const id of [...nodes.keys()]) if (!ids.has(id)) nodes.delete(id);
    let i = nextIndex(nodes.values());
    for (const node of workflow.nodes) {
      let y = nodes.get(node.id);
      if (!(y instanceof Y.Map)) {
        y = new Y.Map<Json>();
        y.set('i', i++);
        nodes.set(node.id, y);
      }
      writeNode(y, node);
    }
    const keys = new Map(workflow.connections.map((c) => [edgeId(c), c]));
    for (const k of [...connections.keys()]) if (!keys.has(k)) connections.delete(k);
    i = nextIndex(connections.values());
    for (const [k, c] of keys) if (!connections.has(k)) connections.set(k, { i: i++, c: structuredClone(c) });
    const byId = new Map((workflow.notes ?? []).map((n) => [n.id, n]));
    for (const k of [...notes.keys()]) if (!byId.has(k)) notes.delete(k);
    i = nextIndex(notes.values());
    for (const [id, n] of byId) {
      const old = notes.get(id);
      if (!old) notes.set(id, { i: i++, n: structuredClone(n) });
      else if (!same(old.n, n)) notes.set(id, { i: old.i, n: structuredClone(n) });
    }
  }, origin);
}

const byOrder = <T>(entries: [string, T][], index: (v: T) => number) =>
  entries.sort(([ka, a], [kb, b]) => index(a) - index(b) || (ka < kb ? -1 : ka > kb ? 1 : 0));

/**
 * Reads the workflow a Y.Doc holds. Connections whose source or target node was deleted (for
 * example a connection drawn while someone else deleted its node) are left out.
 *
 * @example
 * ```ts
 * const workflow = readWorkflow(doc);
 * ```
 */
export function readWorkflow(doc: Y.Doc): Workflow {
  const { meta, nodes, connections, notes } = workflowMaps(doc);
  const wf: Record<string, Json> = {};
  for (const k of META_KEYS) if (meta.has(k)) wf[k] = meta.get(k);
  if (typeof wf.name !== 'string') wf.name = 'Untitled';
  const list: WorkflowNode[] = [];
  for (const [, y] of byOrder([...nodes.entries()], (y) => Number(y.get('i') ?? 0))) {
    const node: Record<string, Json> = {};
    for (const [k, v] of y.entries()) {
      if (k === 'i') continue;
      node[k] = v instanceof Y.Map ? v.toJSON() : v;
    }
    node.parameters ??= {};
    list.push(node as WorkflowNode);
  }
  const ids = new Set(list.map((n) => n.id));
  const conns = byOrder([...connections.entries()], (v) => v.i)
    .map(([, v]) => v.c)
    .filter((c) => ids.has(c.source) && ids.has(c.target));
  const out = { ...wf, nodes: list, connections: conns } as Workflow;
  if (notes.size > 0) out.notes = byOrder([...notes.entries()], (v) => v.i).map(([, v]) => v.n);
  return out;
}

/** Whether the document holds no workflow yet (nothing was ever written or synced into it). */
export function isEmptyWorkflowDoc(doc: Y.Doc): boolean {
  const { meta, nodes } = workflowMaps(doc);
  return meta.size === 0 && nodes.size === 0;
}

function hash32(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0 || 1;
}

/**
 * The Yjs update that seeds a shared document with a saved workflow. It is deterministic: written
 * by a client id derived from `seedKey` (say `workflowId@version`), so every replica that seeds
 * the same version produces the same items, and two replicas that both seed before they first
 * sync merge into one copy instead of two competing ones.
 *
 * @example
 * ```ts
 * Y.applyUpdate(doc, seedUpdate(stored.workflow, `${stored.id}@${stored.version}`));
 * ```
 */
export function seedUpdate(workflow: Workflow, seedKey: string): Uint8Array {
  const seed = new Y.Doc();
  seed.clientID = hash32(seedKey);
  writeWorkflow(seed, workflow);
  const update = Y.encodeStateAsUpdate(seed);
  seed.destroy();
  return update;
}
