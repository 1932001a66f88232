import type { Workflow } from '@weft/engine';

type Json = unknown;

const canonical = (v: Json): Json =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, x]) => [k, canonical(x)]),
        )
      : v;

/**
 * Whether two workflows hold the same content, whatever the order of object keys.
 *
 * @example
 * ```ts
 * sameWorkflow(readWorkflow(doc), workflow); // true right after writeWorkflow(doc, workflow)
 * ```
 */
export function sameWorkflow(a: Workflow, b: Workflow): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
