/**
 * The SQL dialects Weft's shared schema and stores support. The few places where they differ
 * (column types, row locking, JSON decoding) branch on this name.
 *
 * @example
 * ```ts
 * const store = new SqlExecutionStore({ db, dialect: 'sqlite' });
 * ```
 */
export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * Reads a JSON column: SQLite returns the stored text, Postgres (jsonb) an already parsed value.
 *
 * @example
 * ```ts
 * const input = decodeJson('sqlite', row.input) as PortItems;
 * ```
 */
export function decodeJson(dialect: SqlDialectName, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  return unwrapJson(dialect === 'sqlite' ? JSON.parse(value as string) : value);
}

const WRAPPED = '$weft:json';
// JSON.stringify writes NUL and lone surrogates as these escapes; jsonb refuses both.
const JSONB_UNSAFE = /\\u(?:0000|d[89a-f])/i;

/**
 * The text to write to a JSON column for the JSON text `json`. Postgres' `jsonb` refuses NUL
 * characters and unpaired surrogates, which payloads (webhook bodies, node output) may hold, so
 * such a document is kept whole as a string, `{"$weft:json": "<json>"}`, and {@link decodeJson} /
 * {@link unwrapJson} give it back unchanged. Content filters that look inside jsonb do not see
 * into a kept document. A document that already looks like one is kept too, so reading is exact.
 *
 * @example
 * ```ts
 * jsonColumnText('{"a":1}'); // '{"a":1}'
 * jsonColumnText('{"a":"x\\u0000"}'); // '{"$weft:json":"{\\"a\\":\\"x\\\\u0000\\"}"}'
 * ```
 */
export function jsonColumnText(json: string): string {
  return JSONB_UNSAFE.test(json) || json.startsWith(`{"${WRAPPED}":`) ? JSON.stringify({ [WRAPPED]: json }) : json;
}

/**
 * Encodes a value for a JSON column (see {@link jsonColumnText}); `undefined` becomes SQL null.
 *
 * @example
 * ```ts
 * await db.insertInto('workflow_versions').values({ ...row, definition: encodeJson(workflow) }).execute();
 * ```
 */
export function encodeJson(value: unknown): string | null {
  const json = JSON.stringify(value);
  return json === undefined ? null : jsonColumnText(json);
}

/**
 * A parsed JSON column value with a document {@link jsonColumnText} kept whole given back.
 *
 * @example
 * ```ts
 * unwrapJson({ '$weft:json': '{"a":"x\\u0000"}' }); // { a: 'x\u0000' }
 * ```
 */
export function unwrapJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const kept = (value as Record<string, unknown>)[WRAPPED];
  return typeof kept === 'string' && Object.keys(value).length === 1 ? JSON.parse(kept) : value;
}

/**
 * Reads an epoch-milliseconds column (the pg driver returns `bigint` as a string).
 *
 * @example
 * ```ts
 * const startedAt = millis(row.started_at);
 * ```
 */
export function millis(value: number | string): number;
export function millis(value: number | string | null | undefined): number | undefined;
export function millis(value: number | string | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
