import type { Item, JsonValue } from '@weft/engine';
import { scopeToken } from './scope-token.js';

/** One suggestion for the expression editor. */
export interface PathSuggestion {
  /** What to insert, e.g. `$json.customer.email` or `$json["first name"]`. */
  path: string;
  /** Type of the sample value: string, number, boolean, null, object, array. */
  type: string;
  /** The sample value, shortened for display. */
  sample: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

function typeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function sampleOf(v: JsonValue): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'null');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Every `$json` path found in the items of the last run, depth-first, with a sample value each.
 * Arrays contribute their first element as `[0]`. Paths are deduplicated across items.
 *
 * @example
 * ```ts
 * jsonPaths([{ json: { customer: { email: 'a@b.c' } } }]).map((s) => s.path);
 * // ['$json.customer', '$json.customer.email']
 * ```
 */
export function jsonPaths(
  items: readonly Item[],
  options: { maxDepth?: number; limit?: number } = {},
): PathSuggestion[] {
  const maxDepth = options.maxDepth ?? 5;
  const limit = options.limit ?? 500;
  const seen = new Map<string, PathSuggestion>();
  const walk = (value: JsonValue, path: string, depth: number) => {
    if (seen.size >= limit || depth > maxDepth) return;
    if (Array.isArray(value)) {
      const first = value[0];
      if (first !== undefined) {
        const p = `${path}[0]`;
        if (!seen.has(p)) seen.set(p, { path: p, type: typeOf(first), sample: sampleOf(first) });
        walk(first, p, depth + 1);
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const p = IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!seen.has(p)) seen.set(p, { path: p, type: typeOf(child), sample: sampleOf(child) });
      walk(child, p, depth + 1);
    }
  };
  for (const item of items.slice(0, 20)) walk(item.json, '$json', 1);
  return [...seen.values()];
}

/**
 * The suggestions that complete what the user typed before the cursor: the `$…` token ({@link scopeToken})
 * ending at `cursor` in `text`, or none when the cursor is not inside an expression.
 *
 * @example
 * ```ts
 * completePath('{{ $json.cu', 11, suggestions); // suggestions starting with '$json.cu'
 * ```
 */
export function completePath(
  text: string,
  cursor: number,
  suggestions: readonly PathSuggestion[],
): { from: number; options: PathSuggestion[] } | null {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.lastIndexOf('}}') > open) return null;
  const token = scopeToken(before);
  if (!token) return null;
  return {
    from: cursor - token.length,
    options: suggestions.filter((s) => s.path.startsWith(token) && s.path !== token),
  };
}
