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
  if (dialect === 'sqlite') return JSON.parse(value as string);
  return value;
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
