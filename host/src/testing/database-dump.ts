import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Every row of every table of a Postgres database, as text, per table (`schema.table`): what
 * the residency tests search for another region's data.
 *
 * @example
 * ```ts
 * const us = await rowsAsText(usUrl);
 * expect(tablesWith(us, euWorkspaceId)).toEqual([]);
 * ```
 */
export async function rowsAsText(url: string): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const out = new Map<string, string>();
    for (const { s, t } of tables.rows) {
      const rows = await c.query<{ r: string }>(`select x::text as r from "${s}"."${t}" x`);
      out.set(`${s}.${t}`, rows.rows.map((r) => r.r).join('\n'));
    }
    return out;
  } finally {
    await c.end();
  }
}

/** Tables of a {@link rowsAsText} dump whose rows mention `needle`. */
export function tablesWith(dump: Map<string, string>, needle: string): string[] {
  return [...dump].filter(([, text]) => text.includes(needle)).map(([table]) => table);
}

/** Every file under `dir` (recursively), read as latin1 text; '' when `dir` does not exist. */
export function filesText(dir: string): string {
  let out = '';
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  for (const n of names) {
    const p = join(dir, n);
    out += statSync(p).isDirectory() ? filesText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

/**
 * What a test host stores, as text: every byte of the SQLite files (`weft.db*` in
 * `WEFT_DATA_DIR`), or on Postgres (`WEFT_DATABASE_URL`) the rows of `tables`. The at-rest
 * encryption tests search it for plain text.
 *
 * @example
 * ```ts
 * expect(await storedText(env, ['executions', 'node_runs'])).not.toContain(marker);
 * ```
 */
export async function storedText(env: Record<string, string>, tables: string[]): Promise<string> {
  if (!env.WEFT_DATABASE_URL) {
    const dir = env.WEFT_DATA_DIR as string;
    return readdirSync(dir)
      .filter((f) => f.startsWith('weft.db'))
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
  }
  const c = new pg.Client({ connectionString: env.WEFT_DATABASE_URL });
  await c.connect();
  try {
    const texts: string[] = [];
    for (const table of tables) {
      const r = await c.query<{ t: string }>(`select x.*::text as t from ${pg.escapeIdentifier(table)} x`);
      texts.push(...r.rows.map((row) => row.t));
    }
    return texts.join('\n');
  } finally {
    await c.end();
  }
}
