import type { JsonObject, JsonValue } from '../../model/json.js';

/** Reads `a.b.c` (or `a[0].b`) from an object. */
export function getPath(obj: JsonValue | undefined, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, JsonValue>)[key];
  }
  return cur;
}

/** Returns a copy of `obj` with `path` set, copying only the objects along the path. */
export function setPath(obj: JsonObject, path: string, value: JsonValue): JsonObject {
  const keys = splitPath(path);
  const root: JsonObject = { ...obj };
  let cur: JsonObject = root;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
      return;
    }
    const next = cur[key];
    const copy: JsonObject = next && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
    cur[key] = copy;
    cur = copy;
  });
  return root;
}

/** Returns a copy of `obj` without `path`. */
export function deletePath(obj: JsonObject, path: string): JsonObject {
  const keys = splitPath(path);
  const root: JsonObject = { ...obj };
  let cur: JsonObject = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = cur[keys[i] as string];
    if (!next || typeof next !== 'object' || Array.isArray(next)) return root;
    const copy = { ...next };
    cur[keys[i] as string] = copy;
    cur = copy;
  }
  delete cur[keys[keys.length - 1] as string];
  return root;
}

function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((k) => k !== '');
}
