#!/usr/bin/env node
// @weft/analytics benchmarks, each table with a baseline measured in the same run:
//  1. quantile accuracy of QuantileSketch against exact (sorted) quantiles on five distributions
//  2. ingesting N executions (+ node runs) into partial buckets and rolling them up on SQLite and
//     Postgres: time, peak RSS; baselines: one GROUP BY over the same partial rows (no sketches), and
//     the same rollup through replaceBuckets (each row read and written by the process)
//  3. `historical` over a year of hourly rollups (and the daily tier built from them) for W workflows
//     on SQLite and Postgres, p50/p99; baseline: one workflow-year of hourly rows read with a plain
//     SELECT and nothing computed
// Sizes (defaults sized for about a minute on a busy two-core machine):
//  ANALYTICS_BENCH_RAW (1000000; 0 skips section 2), ANALYTICS_BENCH_WORKFLOWS (200, 0 skips section 3; the figure is 1000, which
//  loads 8.8 M rows per backend: minutes and gigabytes), ANALYTICS_BENCH_DAYS (365).
// Postgres from WEFT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a
// throwaway schema; skipped when it does not answer. `npm run bench -- analytics`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsIngest, historicalSeries, QuantileSketch, Rollups } from '@weft/analytics';
import { createPostgresStorage } from '@weft/postgres';
import { SqlAnalyticsStore } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import pg from 'pg';

const RAW = Number(process.env.ANALYTICS_BENCH_RAW ?? 1_000_000);
const WORKFLOW_IDS = Array.from({ length: 50 }, (_, i) => `wf-${i}`);
const WORKFLOWS = Number(process.env.ANALYTICS_BENCH_WORKFLOWS ?? 200);
const DAYS = Number(process.env.ANALYTICS_BENCH_DAYS ?? 365);
const PG_URL = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (b) => `${Math.round(b / 1048576)} MB`;
const table = (head, rows) => {
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log();
};

// 1. Quantile accuracy -------------------------------------------------------------------------
{
  const N = 200_000;
  const dists = {
    uniform: (r) => 1 + r() * 999,
    exponential: (r) => -Math.log(1 - r()) * 120,
    lognormal: (r) => Math.exp(4 + 1.5 * gauss(r)),
    pareto: (r) => 5 / (1 - r()) ** (1 / 1.2),
    bimodal: (r) => (r() < 0.9 ? 20 + 3 * Math.abs(gauss(r)) : 2000 + 400 * Math.abs(gauss(r))),
  };
  const rows = [];
  for (const [name, draw] of Object.entries(dists)) {
    const r = rng(42);
    const values = Array.from({ length: N }, () => draw(r));
    let t0 = performance.now();
    const sorted = Float64Array.from(values).sort();
    const exactMs = performance.now() - t0;
    t0 = performance.now();
    const sketch = new QuantileSketch();
    for (const v of values) sketch.add(v);
    const sketchMs = performance.now() - t0;
    const errs = [0.5, 0.95, 0.99, 0.999].map((q) => {
      const exact = sorted[Math.floor(q * (N - 1))];
      return Math.abs(sketch.quantile(q) - exact) / exact;
    });
    rows.push([
      name,
      ms(exactMs),
      ms(sketchMs),
      ...errs.map((e) => `${(e * 100).toFixed(3)}%`),
      `${sketch.encode().length} B`,
    ]);
  }
  console.log(`### Quantile accuracy, ${N.toLocaleString('en')} values each (baseline: exact quantiles by sorting)\n`);
  table(
    ['distribution', 'sort ms (baseline)', 'sketch ms', 'p50 err', 'p95 err', 'p99 err', 'p99.9 err', 'sketch size'],
    rows,
  );
}

// Storage helpers --------------------------------------------------------------------------------
async function openBackends() {
  const out = [];
  const dir = mkdtempSync(join(tmpdir(), 'weft-analytics-bench-'));
  const sqlite = await createSqliteStorage({ filename: join(dir, 'weft.db') });
  out.push({
    name: 'SQLite',
    storage: sqlite,
    raw: (q) => {
      const st = sqlite.database.prepare(q);
      return st.reader ? st.all() : st.run();
    },
    bulk: (rows) => {
      const ins = sqlite.database.prepare(
        'insert into analytics_rollups (workspace_id, bucket_ms, workflow_id, node_id, bucket_start, status, count, sum_ms, min_ms, max_ms, retries, sketch) values (?,?,?,?,?,?,?,?,?,?,?,?)',
      );
      sqlite.database.transaction(() => {
        for (const r of rows)
          ins.run(
            r.workspaceId,
            r.bucketMs,
            r.workflowId,
            r.nodeId,
            r.bucketStart,
            r.status,
            r.count,
            r.sumMs,
            r.minMs,
            r.maxMs,
            r.retries,
            r.sketch,
          );
      })();
    },
    close: async () => {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const schema = `weft_analytics_bench_${Date.now().toString(36)}`;
  try {
    const probe = new pg.Client({ connectionString: PG_URL });
    await probe.connect();
    await probe.end();
    const storage = await createPostgresStorage({ connectionString: PG_URL, schema, poolSize: 4 });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`set search_path to ${schema}`);
    out.push({
      name: 'Postgres',
      storage,
      raw: async (q) => (await client.query(q)).rows,
      bulk: async (rows) => {
        const col = (k) => rows.map((r) => r[k]);
        await client.query(
          `insert into analytics_rollups (workspace_id, bucket_ms, workflow_id, node_id, bucket_start, status, count, sum_ms, min_ms, max_ms, retries, sketch)
           select * from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::int[], $8::float8[], $9::float8[], $10::float8[], $11::int[], $12::text[])`,
          [
            'workspaceId',
            'bucketMs',
            'workflowId',
            'nodeId',
            'bucketStart',
            'status',
            'count',
            'sumMs',
            'minMs',
            'maxMs',
            'retries',
            'sketch',
          ].map(col),
        );
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

// 2. Ingesting and rolling up executions ---------------------------------------------------------
// N executions (each with one node run) spread over a day, across 50 workflows, fed through
// AnalyticsIngest.add as the engine's events would be, with the ingest's clock following the
// executions so each 5-minute bucket closes as it would in production (memory stays one bucket's
// keys). Timed separately: folding in (CPU per execution), writing the partial buckets, and
// Rollups.run over all tiers. Baseline: one SQL GROUP BY (counts and sums, no sketches) over the
// same partial rows.
const backends = await openBackends();
if (RAW > 0) {
  const rows = [];
  for (const b of backends) {
    const store = new SqlAnalyticsStore({ db: b.storage.db, dialect: b.name === 'SQLite' ? 'sqlite' : 'postgres' });
    const r = rng(7);
    const from = NOW - 2 * DAY;
    let clock = from;
    const ingest = new AnalyticsIngest({ store, writerId: 'bench', flushIntervalMs: 3_600_000, now: () => clock });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let foldMs = 0;
    let writeMs = 0;
    let bucket = from;
    let t0 = performance.now();
    for (let i = 0; i < RAW; i++) {
      const at = from + Math.floor((i * DAY) / RAW);
      if (at >= bucket + 300_000) {
        foldMs += performance.now() - t0;
        clock = at;
        t0 = performance.now();
        await ingest.flush();
        writeMs += performance.now() - t0;
        bucket = at - (at % 300_000);
        t0 = performance.now();
      }
      const workflowId = WORKFLOW_IDS[Math.floor(r() * 50)];
      const failed = r() < 0.03;
      const d = Math.exp(4 + gauss(r));
      ingest.add({
        workspaceId: 'ws-1',
        workflowId,
        nodeId: '',
        status: failed ? 'failed' : 'succeeded',
        at,
        durationMs: d,
        retries: 0,
      });
      ingest.add({
        workspaceId: 'ws-1',
        workflowId,
        nodeId: 'http',
        status: failed ? 'error' : 'success',
        at,
        durationMs: d * 0.8,
        retries: r() < 0.05 ? 1 : 0,
      });
    }
    foldMs += performance.now() - t0;
    clock = NOW;
    t0 = performance.now();
    await ingest.close();
    writeMs += performance.now() - t0;
    const [{ n: partials }] = await b.raw('select count(*) as n from analytics_partials');
    t0 = performance.now();
    await b.raw(
      'select workflow_id, node_id, status, bucket_start, sum(count) as n, sum(sum_ms) as s, min(min_ms) as lo, max(max_ms) as hi from analytics_partials group by workflow_id, node_id, status, bucket_start',
    );
    const baseMs = performance.now() - t0;
    // The same rollup through replaceBuckets (every row read and written by the process, the path
    // of stores without rollUpInPlace), then set-based: a baseline of the same run.
    const legacy = Object.fromEntries(
      ['upsertPartials', 'readPartials', 'readRollups', 'watermark', 'prune', 'replaceBuckets'].map((m) => [
        m,
        (...a) => store[m](...a),
      ]),
    );
    t0 = performance.now();
    await new Rollups({ store: legacy }).run(NOW);
    const legacyMs = performance.now() - t0;
    await b.raw('delete from analytics_rollups');
    await b.raw('delete from analytics_watermarks');
    t0 = performance.now();
    const result = await new Rollups({ store }).run(NOW);
    const rollMs = performance.now() - t0;
    clearInterval(sampler);
    rows.push([
      b.name,
      RAW.toLocaleString('en'),
      `${((foldMs * 1000) / RAW).toFixed(2)} µs`,
      ms(writeMs),
      Number(partials).toLocaleString('en'),
      ms(baseMs),
      ms(legacyMs),
      ms(rollMs),
      `${(rollMs / 1000).toFixed(1)} s`,
      (result.fiveMinuteRows + result.hourlyRows + result.dailyRows).toLocaleString('en'),
      `${((foldMs + writeMs + rollMs) / 1000).toFixed(1)} s`,
      `${mb(rss0)} -> ${mb(peak)}`,
    ]);
  }
  console.log(
    `### Ingesting and rolling up ${RAW.toLocaleString('en')} executions (each with one node run) spread over a day, 50 workflows\n`,
  );
  table(
    [
      'backend',
      'executions',
      'fold in, per execution',
      'write partials ms',
      'partial rows',
      'GROUP BY ms (baseline)',
      'rollup ms via replaceBuckets (baseline)',
      'rollup ms set-based (all tiers, sketches)',
      'rollup time',
      'rollup rows',
      'total',
      'RSS before -> peak',
    ],
    rows,
  );
}

// 3. historical over a year of hourly (and daily) rollups -----------------------------------------
if (WORKFLOWS > 0) {
  const rows = [];
  const sketchOf = (r, n) => {
    const s = new QuantileSketch();
    for (let i = 0; i < n; i++) s.add(Math.exp(4 + 0.8 * gauss(r)));
    return s.encode();
  };
  for (const b of backends) {
    const store = new SqlAnalyticsStore({ db: b.storage.db, dialect: b.name === 'SQLite' ? 'sqlite' : 'postgres' });
    const r = rng(11);
    const sketches = Array.from({ length: 64 }, () => sketchOf(r, 40));
    const hours = DAYS * 24;
    const start = Math.floor(NOW / DAY) * DAY - hours * HOUR;
    const t0 = performance.now();
    for (let h = 0; h < hours; h += 24) {
      const batch = [];
      for (let w = -1; w < WORKFLOWS; w++) {
        for (let k = h; k < h + 24; k++) {
          const count = w < 0 ? WORKFLOWS * 20 : 20;
          batch.push({
            workspaceId: 'ws-hist',
            workflowId: w < 0 ? '' : `wf-${w}`,
            nodeId: '',
            status: 'succeeded',
            bucketMs: HOUR,
            bucketStart: start + k * HOUR,
            count,
            sumMs: count * 60,
            minMs: 5,
            maxMs: 900,
            retries: 0,
            sketch: sketches[(w + k) & 63],
          });
        }
      }
      await b.bulk(batch);
      const days = new Map();
      for (const r of batch) {
        const d = days.get(r.workflowId) ?? {
          ...r,
          bucketMs: DAY,
          bucketStart: start + h * HOUR,
          count: 0,
          sumMs: 0,
          merged: new QuantileSketch(),
        };
        d.count += r.count;
        d.sumMs += r.sumMs;
        d.merged.merge(QuantileSketch.decode(r.sketch));
        days.set(r.workflowId, d);
      }
      await b.bulk([...days.values()].map(({ merged, ...d }) => ({ ...d, sketch: merged.encode() })));
    }
    await b.raw(
      `insert into analytics_watermarks (tier, done_until) values ('1d', ${start + hours * HOUR}) on conflict (tier) do update set done_until = excluded.done_until`,
    );
    await b.raw(b.name === 'SQLite' ? 'analyze' : 'analyze analytics_rollups');
    const loadS = (performance.now() - t0) / 1000;
    const measure = async (label, fn, n = 60) => {
      const times = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await fn(i);
        times.push(performance.now() - t);
      }
      return [b.name, label, ms(pct(times, 0.5)), ms(pct(times, 0.99))];
    };
    const q = (metric, workflowId) => ({
      workspaceId: 'ws-hist',
      metric,
      from: start,
      to: NOW,
      stepMs: DAY,
      ...(workflowId ? { workflowId } : {}),
    });
    const wf = (i) => `wf-${(i * 7919) % WORKFLOWS}`;
    rows.push(
      await measure('baseline: SELECT one workflow-year', (i) =>
        b.raw(
          `select count, sum_ms, sketch, bucket_start, status from analytics_rollups where workspace_id = 'ws-hist' and bucket_ms = ${HOUR} and workflow_id = '${wf(i)}' and node_id = '' and bucket_start >= ${start} and bucket_start < ${NOW}`,
        ),
      ),
      await measure('runs per day, one workflow', (i) => historicalSeries(store, q('runs', wf(i)), NOW)),
      await measure('p95 per day, one workflow', (i) => historicalSeries(store, q('p95Ms', wf(i)), NOW)),
      await measure('runs per day, whole workspace', () => historicalSeries(store, q('runs'), NOW), 20),
      await measure('p99 per day, whole workspace', () => historicalSeries(store, q('p99Ms'), NOW), 20),
    );
    console.log(
      `(${b.name}: loaded ${((WORKFLOWS + 1) * hours).toLocaleString('en')} hourly rows in ${loadS.toFixed(0)} s)`,
    );
  }
  console.log(
    `\n### historical over ${DAYS} days of rollups for ${WORKFLOWS.toLocaleString('en')} workflows, daily points (ms)\n`,
  );
  table(['backend', 'query', 'p50 ms', 'p99 ms'], rows);
}

for (const b of backends) await b.close();
