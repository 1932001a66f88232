import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '../http/json-depth.js';

// Generators of the malformed input the fuzz tests send, driven by the OpenAPI document.

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema objects from the OpenAPI document
export type Schema = Record<string, any>;
/** One operation of an OpenAPI document, as the fuzz tests call it. */
export interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query'; schema: Schema }>;
  body?: Schema;
}

/** Text Postgres cannot store as it is: a NUL or an unpaired surrogate somewhere in it. */
export const unstorableText = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'),
    fc.string({ maxLength: 6 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);
/** Integers no route can take: past 32 bits, negative, or not written as digits. */
export const hugeInteger = fc.oneof(
  fc.bigInt({ min: 2n ** 31n, max: 10n ** 40n }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: -1n }).map(String),
  fc.constantFrom('1e400', '1.5', '0x1f', '2147483648', '9007199254740993', '-0', 'NaN', 'Infinity'),
);
/** Strings that are not a `nextCursor` a page gave out. */
export const badCursor = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'abc',
    'abc:def',
    '1:',
    ':x',
    '-1:x',
    '1.5',
    '99999999999999999',
    '1:a\u0000b',
    `1:${'x'.repeat(600)}`,
  ),
);
/** JSON nested past {@link MAX_JSON_DEPTH}, up to 10,000 levels. */
export const deepJson = fc.constantFrom(MAX_JSON_DEPTH + 1, 10_000).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`);

/** Percent-encodes text the way a client may send it, lone surrogates as their (invalid) WTF-8 bytes. */
export function encodeAny(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && /[\udc00-\udfff]/.test(text[i + 1] ?? '');
    if (c >= 0xd800 && c < 0xe000 && !pair)
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    else if (pair) out += encodeURIComponent(text.slice(i, ++i + 1));
    else out += encodeURIComponent(text[i] as string);
  }
  return out;
}

/** Where a schema's `$ref`s point, and values to use for schemas random ones would not pass. */
export interface SchemaArbitraryOptions {
  components: Record<string, Schema>;
  /** A fixed arbitrary for a schema (e.g. a valid workflow for the workflow schema), else undefined. */
  known?: (schema: Schema, ref?: string) => fc.Arbitrary<unknown> | undefined;
}

/**
 * Values valid for a schema of the OpenAPI document, so that a request whose one field is made
 * malformed gets past the others. Sizes are kept small; `$ref`s resolve against `components`.
 *
 * @example
 * ```ts
 * const body = schemaArbitrary(op.body, { components: doc.components.schemas });
 * const [sample] = fc.sample(body, { numRuns: 1, seed: 1 });
 * ```
 */
export function schemaArbitrary(s: Schema, o: SchemaArbitraryOptions, depth = 0): fc.Arbitrary<unknown> {
  const ref = typeof s.$ref === 'string' ? (s.$ref.split('/').pop() as string) : undefined;
  const fixed = o.known?.(s, ref);
  if (fixed) return fixed;
  if (ref) return schemaArbitrary(o.components[ref] ?? {}, o, depth);
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return fc.oneof(...union.map((b) => schemaArbitrary(b, o, depth)));
  if (s.allOf) return schemaArbitrary((s.allOf as Schema[])[0] ?? {}, o, depth);
  const small = (n: number | undefined) => Math.min(n ?? 0, 3);
  switch (s.type) {
    case 'string':
      return s.pattern
        ? fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 200))
        : fc.string({
            minLength: s.minLength ?? 0,
            maxLength: Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 12, 12)),
          });
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1000, -1e9), max: Math.min(s.maximum ?? 1000, 1e9) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: s.minimum ?? -1e6, max: s.maximum ?? 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (s.prefixItems) return fc.tuple(...(s.prefixItems as Schema[]).map((p) => schemaArbitrary(p, o, depth + 1)));
      const item = depth > 6 ? fc.constant(null) : schemaArbitrary(s.items ?? {}, o, depth + 1);
      const size = {
        minLength: small(s.minItems),
        maxLength: Math.max(small(s.minItems), Math.min(s.maxItems ?? 3, 3)),
      };
      return s.uniqueItems
        ? fc.uniqueArray(item, { ...size, selector: (v) => JSON.stringify(v) })
        : fc.array(item, size);
    }
    case 'object': {
      const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
      if (props.length === 0) {
        const value = Object.values((s.patternProperties ?? {}) as Record<string, Schema>)[0] ?? s.additionalProperties;
        const values =
          typeof value === 'object' && depth <= 6
            ? schemaArbitrary(value, o, depth + 1)
            : fc.jsonValue({ maxDepth: 2 });
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), values, { maxKeys: 3 });
      }
      return fc.record(Object.fromEntries(props.map(([k, p]) => [k, schemaArbitrary(p, o, depth + 1)])), {
        requiredKeys: (s.required ?? []) as string[],
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** JSON pointers of every string in a value. */
export function stringPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [at];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, Array.isArray(value) ? Number(k) : k]));
}

/** A copy of `value` with the value at `at` replaced by `by`. */
export function replaced(value: unknown, at: Array<string | number>, by: unknown): unknown {
  if (at.length === 0) return by;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = at as [string | number, ...Array<string | number>];
  copy[head] = replaced(copy[head], rest, by);
  return copy;
}

/** Every operation of an OpenAPI document with its path and query parameters and JSON body schema. */
export function openApiOperations(doc: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).filter((p: Schema) => p.in === 'path' || p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}
