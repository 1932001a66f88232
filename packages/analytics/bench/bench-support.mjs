// Helpers shared by the @weft/analytics benches (not a bench itself: no `.bench.mjs` suffix).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@weft/postgres';
import { createSqliteStorage } from '@weft/sqlite';
import pg from 'pg';

export const PG_URL = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A seeded PRNG (mulberry32) answering numbers in [0, 1). */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const gauss = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
export const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
export const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const mb = (b) => `${Math.round(b / 1048576)} MB`;
export const table = (head, rows) => {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log();
};

const PG_TYPES = { text: 'text', int: 'int8', real: 'float8' };

/**
 * A fresh SQLite file and (when it answers) a throwaway Postgres schema, each migrated with
 * `migrations` (all of Weft's when undefined). Each backend has `raw(sql)` for plain statements,
 * `insert(table, columns, rows)` to load generated rows fast (one prepared statement in one
 * transaction on SQLite, one `unnest` statement on Postgres; `columns` as [name, 'text' | 'int' |
 * 'real']), and `serverCpuMs()`, the Postgres server processes' CPU time read from /proc.
 */
export async function openBackends(migrations) {
  const out = [];
  const opts = migrations ? { migrations } : {};
  const dir = mkdtempSync(join(tmpdir(), 'weft-analytics-bench-'));
  const sqlite = await createSqliteStorage({ filename: join(dir, 'weft.db'), ...opts });
  out.push({
    name: 'SQLite',
    storage: sqlite,
    raw: (q) => {
      const st = sqlite.database.prepare(q);
      return st.reader ? st.all() : st.run();
    },
    insert: (t, columns, rows) => {
      const st = sqlite.database.prepare(
        `insert into ${t} (${columns.map((c) => c[0]).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      sqlite.database.transaction(() => {
        for (const r of rows) st.run(r);
      })();
    },
    // SQLite runs in this process: its CPU is in the process's own.
    serverCpuMs: async () => 0,
    close: async () => {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const schema = `weft_analytics_bench_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  try {
    const probe = new pg.Client({ connectionString: PG_URL });
    await probe.connect();
    await probe.end();
    // Tagged so the bench can read its server processes' CPU time (Postgres runs on this machine).
    const tagged = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${schema}`;
    const storage = await createPostgresStorage({ connectionString: tagged, schema, poolSize: 4, ...opts });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`set search_path to ${schema}`);
    out.push({
      name: 'Postgres',
      storage,
      raw: async (q) => (await client.query(q)).rows,
      insert: async (t, columns, rows) => {
        const arrays = columns.map((_, k) => rows.map((r) => r[k]));
        const casts = columns.map((c, k) => `$${k + 1}::${PG_TYPES[c[1]]}[]`).join(', ');
        await client.query(
          `insert into ${t} (${columns.map((c) => c[0]).join(', ')}) select * from unnest(${casts})`,
          arrays,
        );
      },
      serverCpuMs: async () => {
        const { rows } = await client.query('select pid from pg_stat_activity where application_name = $1', [schema]);
        let total = 0;
        for (const { pid } of rows) {
          try {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
            total += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
          } catch {
            return Number.NaN; // not on this machine
          }
        }
        return total;
      },
      close: async () => {
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
        await storage.close();
      },
    });
  } catch (err) {
    console.log(`(Postgres skipped: ${err.message})\n`);
  }
  return out;
}
