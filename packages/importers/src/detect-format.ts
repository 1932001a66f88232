import { parseInput } from './import-error.js';

/** The workflow formats the importers read. */
export type ImportFormat = 'n8n' | 'node-red';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Tells an n8n export from a Node-RED `flows.json` (JSON text or parsed); undefined when it is
 * neither (a Weft workflow, for one). n8n workflows are objects with `nodes` and an object of
 * `connections` (alone, in a list, or under `data`); Node-RED flows are a flat list of nodes with
 * string `id` and `type`.
 *
 * @example
 * ```ts
 * detectFormat('[{"id":"t1","type":"tab"}]'); // 'node-red'
 * ```
 */
export function detectFormat(input: unknown): ImportFormat | undefined {
  let doc: unknown;
  try {
    doc = parseInput(input);
  } catch {
    return undefined;
  }
  // A Weft workflow also has `nodes`, but its connections are a list and its types are not n8n's.
  const n8nLike = (w: unknown) =>
    isObject(w) &&
    Array.isArray(w.nodes) &&
    (isObject(w.connections) ||
      (w.connections === undefined && w.nodes.some((n) => isObject(n) && /^(n8n-nodes-|@n8n\/)/.test(String(n.type)))));
  if (n8nLike(doc)) return 'n8n';
  if (isObject(doc) && Array.isArray(doc.data) && doc.data.every(n8nLike)) return 'n8n';
  if (isObject(doc) && Array.isArray(doc.flows)) return 'node-red';
  if (!Array.isArray(doc) || doc.length === 0) return undefined;
  if (doc.every(n8nLike)) return 'n8n';
  const nodeRedLike = (n: unknown) => isObject(n) && typeof n.id === 'string' && typeof n.type === 'string';
  if (doc.every(nodeRedLike)) return 'node-red';
  return undefined;
}
