/** One RFC 6902 operation of the kinds optimisation findings use. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

const unescapeKey = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Applies JSON Patch `add`, `remove` and `replace` operations to a copy of `doc`; throws naming
 * the path that does not exist.
 *
 * @example
 * ```ts
 * applyPatch({ nodes: [a, b] }, [{ op: 'remove', path: '/nodes/1' }]); // { nodes: [a] }
 * ```
 */
export function applyPatch<T>(doc: T, ops: readonly PatchOperation[]): T {
  const out = structuredClone(doc) as unknown;
  for (const op of ops) {
    const keys = op.path.split('/').slice(1).map(unescapeKey);
    const last = keys.pop();
    if (last === undefined) throw new Error(`Cannot ${op.op} the whole document`);
    let parent = out as Record<string, unknown> | unknown[];
    for (const k of keys) {
      const next = (parent as Record<string, unknown>)[k];
      if (next === null || typeof next !== 'object') throw new Error(`No "${op.path}" in the workflow`);
      parent = next as Record<string, unknown>;
    }
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`No "${op.path}" in the workflow`);
      if (op.op === 'add') parent.splice(i, 0, op.value);
      else if (op.op === 'remove') parent.splice(i, 1);
      else parent[i] = op.value;
    } else if (op.op === 'remove') delete parent[last];
    else parent[last] = op.value;
  }
  return out as T;
}
