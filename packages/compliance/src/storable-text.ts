const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A copy of `value` whose strings (and object keys) every store and RFC 8785 can hold: lone
 * surrogates and NUL become U+FFFD. Audit entries quote request text (field names, an email), and
 * an entry that cannot be hashed or stored would fail the change it records.
 *
 * @example
 * ```ts
 * storableJson({ name: 'a\u0000\ud800' }); // { name: 'a\uFFFD\uFFFD' }
 * ```
 */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableJson(k)] = storableJson(v);
    return out as T;
  }
  return value;
}
