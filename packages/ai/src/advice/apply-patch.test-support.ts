import type { Workflow } from '@weft/engine';
import type { JsonPatchOperation } from './json-patch.js';

/** Applies the advice's JSON Patch subset to a copy of `workflow` (tests only). */
export function applyPatch(workflow: Workflow, patch: readonly JsonPatchOperation[]): Workflow {
  const doc = structuredClone(workflow) as unknown as Record<string, unknown>;
  for (const op of patch) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop() as string;
    let parent: Record<string, unknown> = doc;
    for (const k of keys) parent = parent[k] as Record<string, unknown>;
    if (Array.isArray(parent)) {
      if (op.op === 'remove') parent.splice(Number(last), 1);
      else if (op.op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
      else parent[Number(last)] = op.value;
    } else if (op.op === 'remove') delete parent[last];
    else parent[last] = op.value;
  }
  return doc as unknown as Workflow;
}
