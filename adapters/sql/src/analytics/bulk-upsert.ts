import { type Kysely, sql } from 'kysely';

/** A column of a bulk upsert: its name and its Postgres array element type. */
export interface BulkColumn {
  name: string;
  pg: 'text' | 'int4' | 'int8' | 'float8';
}

const CHUNK = 5000;

/**
 * Inserts many rows in one set-based statement per 5,000 rows, replacing rows with the same key.
 * Rows go in sorted by `key`, so on Postgres, whose heap keeps rows in insertion order, the rows
 * of one key written together share pages (a week of a series' daily rows: one page, not seven):
 * on SQLite the rows travel as one JSON parameter read by `json_each`, on Postgres as one array
 * parameter per column read by `unnest`. Either way a statement has a fixed, short text and a
 * handful of parameters, where a multi-row `VALUES` list is parsed and planned anew for every
 * batch (most of the time of a large rollup).
 *
 * @example
 * ```ts
 * await bulkUpsert(db, 'sqlite', 'analytics_rollups', columns, ['workspace_id', 'bucket_start'], ['count'], rows);
 * ```
 */
export async function bulkUpsert(
  // biome-ignore lint/suspicious/noExplicitAny: the tables are named at run time
  db: Kysely<any>,
  dialect: 'sqlite' | 'postgres',
  table: string,
  columns: readonly BulkColumn[],
  key: readonly string[],
  update: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const set = Object.fromEntries(update.map((u) => [u, sql.ref(`excluded.${u}`)]));
  const sorted = sortedByKey(
    rows,
    key.map((k) => columns.findIndex((c) => c.name === k)),
  );
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    // `where true` tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
    const source =
      dialect === 'sqlite'
        ? sql`select ${sql.join(columns.map((_, k) => sql`j.value ->> ${sql.lit(k)}`))} from json_each(${JSON.stringify(chunk)}) as j where true`
        : sql`select * from unnest(${sql.join(columns.map((c, k) => sql`${chunk.map((r) => r[k])}::${sql.raw(c.pg)}[]`))})`;
    // Through the query builder, so the table gets the schema of a `withSchema` instance.
    await db
      .insertInto(table)
      .columns(columns.map((c) => c.name))
      .expression(source)
      .onConflict((oc) => oc.columns(key).doUpdateSet(set))
      .execute();
  }
}

/** `rows` ordered by the columns at `at` (numbers by value, text by code unit), as a new array. */
function sortedByKey(rows: readonly (readonly unknown[])[], at: readonly number[]): (readonly unknown[])[] {
  return [...rows].sort((a, b) => {
    for (const k of at) {
      const x = a[k] as string | number;
      const y = b[k] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
