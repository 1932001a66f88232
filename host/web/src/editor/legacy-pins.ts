import type { Item, Workflow } from '@weft/engine';

/** What {@link takeLegacyPins} found in the old browser storage. */
export interface LegacyPins {
  /** Pins to put into the document's `pinData`, by node id (nodes that have no pin there yet). */
  pinData: Record<string, Item[]>;
  /** Names of stored pins whose node is no longer in the document (dropped). */
  dropped: string[];
  /** The storage value to write back (the trigger payload without the pins), or null for none. */
  rest: string | null;
}

const isItems = (v: unknown): v is Item[] =>
  Array.isArray(v) && v.every((i) => i !== null && typeof i === 'object' && 'json' in i);

/**
 * Before pins lived in the workflow (`pinData`, by node id), the editor kept them in this browser's
 * localStorage under `weft.testData.<workspace>.<workflow id>` as `{ pins: { <node name>: items },
 * payload }`. This reads such a value for `doc` once: the pins by id to pin, and what to store
 * back (the payload only). Returns null when there is nothing to move.
 *
 * @example
 * ```ts
 * const found = takeLegacyPins(doc, localStorage.getItem(key));
 * if (found) for (const [id, items] of Object.entries(found.pinData)) canvas.pin(id, items);
 * ```
 */
export function takeLegacyPins(doc: Workflow, stored: string | null): LegacyPins | null {
  if (!stored) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || !('pins' in value)) return null;
  const { pins, ...rest } = value as { pins?: unknown };
  const byName = new Map(doc.nodes.map((n) => [n.name, n.id]));
  const pinData: Record<string, Item[]> = {};
  const dropped: string[] = [];
  if (pins && typeof pins === 'object')
    for (const [name, items] of Object.entries(pins)) {
      const id = byName.get(name);
      if (!id || !isItems(items)) dropped.push(name);
      else if (!doc.pinData?.[id]) pinData[id] = items;
    }
  return { pinData, dropped, rest: Object.keys(rest).length ? JSON.stringify(rest) : null };
}
