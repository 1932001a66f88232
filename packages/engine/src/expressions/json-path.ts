/** A property path read from `$json`: keys and array indexes. */
export type JsonPath = (string | number)[];

/** What {@link readJsonPath} returns when the path cannot be read without running the expression. */
export const NOT_PLAIN: unique symbol = Symbol('not plain');

const WHOLE = /^\(\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:\d{1,9}|'[^'\\\n]*'|"[^"\\\n]*")\s*\])*)\s*\n\)$/;
const STEP = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:(\d{1,9})|'([^'\\\n]*)'|"([^"\\\n]*)")\s*\]/g;
// Keys whose lookup could reach past the data into prototypes; such paths run in the sandbox.
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The property path of an expression that only reads `$json` — `$json.total`,
 * `$json.lines[0]['unit price']` — as compiled by `templateToExpression` from a parameter that is
 * exactly one `{{ }}`; undefined for anything else. Such expressions are read from the item in
 * the host (see {@link readJsonPath}) instead of costing a sandbox call: no user code runs.
 *
 * @example
 * ```ts
 * jsonPathOf('( $json.order.lines[0]\n)'); // ['order', 'lines', 0]
 * jsonPathOf('( $json.a + 1\n)');          // undefined
 * ```
 */
export function jsonPathOf(source: string): JsonPath | undefined {
  const m = WHOLE.exec(source);
  if (!m) return undefined;
  const path: JsonPath = [];
  for (const s of (m[1] ?? '').matchAll(STEP)) {
    const key = s[1] ?? s[3] ?? s[4];
    if (key !== undefined) {
      if (UNSAFE.has(key)) return undefined;
      path.push(key);
    } else path.push(Number(s[2]));
  }
  return path;
}

/**
 * Reads `path` from an item's JSON exactly as the sandbox would return it (a missing last key is
 * `null`, objects come back as copies, non-finite numbers as `null`), or {@link NOT_PLAIN} when
 * the sandbox must decide: a step through a missing value or a non-object (which throws there),
 * or a key found only on a prototype.
 *
 * @example
 * ```ts
 * readJsonPath({ a: { b: 2 } }, ['a', 'b']); // 2
 * readJsonPath({ a: 1 }, ['a', 'b']);        // NOT_PLAIN (the sandbox reports the error)
 * ```
 */
export function readJsonPath(json: unknown, path: JsonPath): unknown {
  let cur = json;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return NOT_PLAIN;
    const key = path[i] as string | number;
    if (!Object.hasOwn(cur, key)) {
      if (i === path.length - 1 && !(key in cur)) return null;
      return NOT_PLAIN;
    }
    cur = (cur as Record<string | number, unknown>)[key];
  }
  if (cur === undefined) return null;
  if (typeof cur === 'number') return Number.isFinite(cur) ? cur : null;
  if (typeof cur === 'object' && cur !== null) return JSON.parse(JSON.stringify(cur));
  if (typeof cur === 'string' || typeof cur === 'boolean' || cur === null) return cur;
  return NOT_PLAIN;
}
