/** A JSON path for messages: `$`, `$.total`, `$[0].lines[1]`, `$["odd key"]`. */
export function pathText(path: readonly (string | number)[]): string {
  return `$${path
    .map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`))
    .join('')}`;
}

/** A value shown in one line, cut at 120 characters. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where `actual` differs from `expected`, one line per difference with its path: changed values,
 * missing and unexpected keys, arrays of other lengths. Empty when they are deeply equal (key
 * order ignored).
 *
 * @example
 * ```ts
 * jsonDiff({ total: 120, tier: 'large' }, { total: 130 });
 * // ['$.total: expected 120, received 130', '$.tier: missing, expected "large"']
 * ```
 */
export function jsonDiff(
  expected: unknown,
  actual: unknown,
  path: (string | number)[] = [],
  out: string[] = [],
): string[] {
  if (out.length >= 50) return out;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= actual.length) out.push(`${pathText([...path, i])}: missing, expected ${show(expected[i])}`);
      else if (i >= expected.length) out.push(`${pathText([...path, i])}: unexpected ${show(actual[i])}`);
      else jsonDiff(expected[i], actual[i], [...path, i], out);
    }
    return out;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) out.push(`${pathText([...path, key])}: missing, expected ${show(expected[key])}`);
      else jsonDiff(expected[key], actual[key], [...path, key], out);
    }
    for (const key of Object.keys(actual))
      if (!(key in expected)) out.push(`${pathText([...path, key])}: unexpected ${show(actual[key])}`);
    return out;
  }
  if (!Object.is(expected, actual) && !(expected === 0 && actual === 0))
    out.push(`${pathText(path)}: expected ${show(expected)}, received ${show(actual)}`);
  return out;
}

/**
 * Where `actual` fails to contain `expected`: objects must hold every expected key (recursively),
 * arrays every expected element (each matched by some actual element), strings the expected text;
 * other values must be equal.
 *
 * @example
 * ```ts
 * containsDiff({ customer: 'ada' }, { customer: 'ada', total: 3 }); // []
 * containsDiff('large', 'small order');                              // ['$: "small order" does not contain "large"']
 * ```
 */
export function containsDiff(expected: unknown, actual: unknown, path: (string | number)[] = []): string[] {
  if (typeof expected === 'string' && typeof actual === 'string')
    return actual.includes(expected) ? [] : [`${pathText(path)}: ${show(actual)} does not contain ${show(expected)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: string[] = [];
    for (const [i, want] of expected.entries())
      if (!actual.some((got) => containsDiff(want, got).length === 0))
        out.push(`${pathText(path)}: no element contains expected[${i}] ${show(want)}`);
    return out;
  }
  if (isObject(expected) && isObject(actual)) {
    const out: string[] = [];
    for (const [key, want] of Object.entries(expected)) {
      if (!(key in actual)) out.push(`${pathText([...path, key])}: missing, expected ${show(want)}`);
      else out.push(...containsDiff(want, actual[key], [...path, key]));
    }
    return out;
  }
  return jsonDiff(expected, actual, path);
}
