import { type RawBuilder, type SqlBool, sql } from 'kysely';

/** A JSON value a field can equal. */
export type JsonScalar = string | number | boolean | null;

/** Content filters of an execution search: what the trigger input and node runs hold. */
export interface ContentFilter {
  /**
   * Text found anywhere in the trigger input or in a node run (its input, output, error):
   * case-insensitive (ASCII letters only on SQLite), matched against the stored JSON, so a value
   * with quotes or backslashes is searched in its JSON-escaped form.
   */
  contains?: string;
  /**
   * An item of the trigger input or of any node's output whose `json` has `value` at `path`
   * (keys; all-digit segments index arrays), compared as JSON (`42` is not `"42"`).
   */
  field?: { path: string[]; value: JsonScalar };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A `like` pattern matching `text` inside stored JSON: the text as `JSON.stringify` writes it
 * inside a string, with `%`, `_` and `\` escaped for `like ... escape '\'`.
 *
 * @example
 * ```ts
 * likeInJson('a"b'); // '%a\\\\"b%'  (JSON: a\"b, then like-escaped)
 * ```
 */
export function likeInJson(text: string): string {
  return `%${escapeLike(JSON.stringify(text).slice(1, -1))}%`;
}

/**
 * SQL conditions on `executions as e` for a {@link ContentFilter}. They scan payloads at search
 * time (the callers bound how many executions they examine): no index or full-text table backs
 * them, because maintaining one would cost every checkpoint insert on the hot path. Node-run
 * payloads moved to the blob store (above the size threshold, 64 KiB by default) are not searched.
 *
 * @example
 * ```ts
 * for (const c of contentConditions('sqlite', { contains: 'ada@example.com' })) query = query.where(c);
 * ```
 */
export function contentConditions(dialect: 'sqlite' | 'postgres', f: ContentFilter): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  const nodeRuns = sql.table('node_runs');
  if (f.contains !== undefined) {
    const p = likeInJson(f.contains);
    out.push(
      dialect === 'sqlite'
        ? sql<SqlBool>`(e.input like ${p} escape '\\' or exists (select 1 from ${nodeRuns} nr
            where nr.execution_id = e.id and nr.payload like ${p} escape '\\'))`
        : sql<SqlBool>`(e.input::text ilike ${p} escape '\\' or exists (select 1 from ${nodeRuns} nr
            where nr.execution_id = e.id and nr.payload::text ilike ${p} escape '\\'))`,
    );
  }
  if (f.field) {
    const value = JSON.stringify(f.field.value);
    if (dialect === 'sqlite') {
      // `->` yields the JSON text of what the path finds (`"acme"`, `42`, `true`), so the
      // comparison keeps JSON types apart.
      const path = `$.json${f.field.path.map((k) => (/^\d+$/.test(k) ? `[${k}]` : `."${k}"`)).join('')}`;
      out.push(sql<SqlBool>`(exists (select 1 from json_each(e.input) p, json_each(p.value) i
          where i.value -> ${path} = ${value})
        or exists (select 1 from ${nodeRuns} nr, json_each(nr.payload, '$.output') p, json_each(p.value) i
          where nr.execution_id = e.id and i.value -> ${path} = ${value}))`);
    } else {
      const path = ['json', ...f.field.path];
      const ports = (doc: RawBuilder<unknown>) =>
        sql`jsonb_each(case when jsonb_typeof(${doc}) = 'object' then ${doc} end) p,
          jsonb_array_elements(case when jsonb_typeof(p.value) = 'array' then p.value else '[]'::jsonb end) i`;
      out.push(sql<SqlBool>`(exists (select 1 from ${ports(sql`e.input`)}
          where i.value #> ${path}::text[] = ${value}::jsonb)
        or exists (select 1 from ${nodeRuns} nr, ${ports(sql`nr.payload -> 'output'`)}
          where nr.execution_id = e.id and i.value #> ${path}::text[] = ${value}::jsonb))`);
    }
  }
  return out;
}
