import type { NodeRunRecord } from '@weft/client';
import type { Item, JsonObject, Workflow } from '@weft/engine';

/** Items parsed from JSON text, or why the text is not usable (with the line and column). */
export type ParsedItems = { ok: true; items: Item[] } | { ok: false; error: string };

function position(text: string, message: string): string {
  const at = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
  if (!Number.isFinite(at)) return '';
  const before = text.slice(0, at).split('\n');
  return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

/**
 * Reads what a user typed as node data: one JSON object (one item), an array of objects (one item
 * each), or items already in `{ "json": … }` form. Anything else says what is wrong and where.
 *
 * @example
 * ```ts
 * parseItems('{"customer":"ada"}'); // { ok: true, items: [{ json: { customer: 'ada' } }] }
 * parseItems('[1, 2]'); // { ok: false, error: 'Item 1 is a number: each item must be a JSON object' }
 * ```
 */
export function parseItems(text: string): ParsedItems {
  if (text.trim() === '') return { ok: false, error: 'Enter a JSON object, or an array of objects' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    return { ok: false, error: `Not valid JSON${position(text, message)}: ${message.replace(/ in JSON at.*$/, '')}` };
  }
  const list = Array.isArray(value) ? value : [value];
  const items: Item[] = [];
  for (const [i, v] of list.entries()) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      const kind = v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
      return { ok: false, error: `Item ${i + 1} is ${kind}: each item must be a JSON object` };
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const wrapped = keys.length > 0 && keys.every((k) => k === 'json' || k === 'binary') && typeof o.json === 'object';
    items.push(wrapped ? (o as unknown as Item) : { json: o as JsonObject });
  }
  return { ok: true, items };
}

/** Items as the JSON a user edits: the `json` of each item (one object alone when there is one). */
export function itemsText(items: readonly Item[]): string {
  const values = items.map((i) => i.json);
  return JSON.stringify(values.length === 1 ? values[0] : values, null, 2);
}

/** The nodes `nodeId` depends on (every node with a path to it), by id. */
export function ancestorsOf(workflow: Workflow, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const c of workflow.connections) {
      if (c.target === id && !seen.has(c.source)) {
        seen.add(c.source);
        stack.push(c.source);
      }
    }
  }
  return seen;
}

/**
 * The pin data for "Execute step" on `nodeId`: the user's pins, plus the previous run's output of
 * every node upstream that the last run finished with data on its first output only (so they are
 * not run again; a node that sent items down another port — an If's false branch — runs again,
 * since pin data feeds the first port). The step's own node always runs.
 *
 * @example
 * ```ts
 * const pinData = stepPinData(doc, 'slack', pins, lastRun.nodeRuns);
 * await client.workflows.test(ws, doc, { pinData, stopAfter: 'Slack' });
 * ```
 */
export function stepPinData(
  workflow: Workflow,
  nodeId: string,
  pins: Record<string, Item[]>,
  previous: readonly NodeRunRecord[],
): Record<string, Item[]> {
  const out: Record<string, Item[]> = {};
  const byId = new Map(workflow.nodes.map((n) => [n.id, n]));
  for (const id of ancestorsOf(workflow, nodeId)) {
    const node = byId.get(id);
    const run = previous.filter((r) => r.nodeId === id && r.status === 'succeeded').at(-1);
    const ports = Object.entries(run?.output ?? {}).filter(([, items]) => (items?.length ?? 0) > 0);
    const first = Object.keys(run?.output ?? {})[0];
    const only = ports.length === 1 ? ports[0] : undefined;
    if (node && only && only[0] === first) out[node.name] = only[1] as Item[];
  }
  const self = byId.get(nodeId)?.name;
  for (const [name, items] of Object.entries(pins)) if (name !== self) out[name] = items;
  return out;
}
