#!/usr/bin/env node
// @weft/analytics benchmarks, each table with a baseline measured in the same run:
//  1. quantile accuracy of QuantileSketch against exact (sorted) quantiles on five distributions
//  2. ingesting N executions (+ node runs) into partial buckets and rolling them up on SQLite and
//     Postgres, at two sizes: time, CPU, peak RSS and heap; baselines: one GROUP BY over the same
//     partial rows (no sketches), and the rollup reading the hourly tier back from 5-minute rows
//  3. `historical` over a year of hourly rollups (and the daily tier built from them) for W workflows
//     on SQLite and Postgres, p50/p99 of wall and CPU time; baseline: one workflow-year of hourly
//     rows read with a plain SELECT and nothing computed
// Sizes (defaults sized for about a minute on a busy two-core machine):
//  ANALYTICS_BENCH_RAW (executions, comma-separated sizes: 100000,1000000; 0 skips section 2),
//  ANALYTICS_BENCH_ROUNDS (3), ANALYTICS_BENCH_WORKFLOWS (200, 0 skips section 3; the figure
//  is 1000, which loads 8.8 M rows per backend: minutes and gigabytes), ANALYTICS_BENCH_DAYS (365).
// Postgres from WEFT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a
// throwaway schema; skipped when it does not answer. `npm run bench -- analytics`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsIngest, historicalSeries, QuantileSketch, Rollups } from '@weft/analytics';
import { createPostgresStorage } from '@weft/postgres';
import { SqlAnalyticsStore } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import pg from 'pg';

const SIZES = (process.env.ANALYTICS_BENCH_RAW ?? '100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const ROUNDS = Number(process.env.ANALYTICS_BENCH_ROUNDS ?? 3);
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
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
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
    // Timings: medians of ROUNDS rounds, sorting (the baseline) and sketching in turn.
    const exact = [];
    const sketched = [];
    let sorted;
    let sketch;
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now();
      sorted = Float64Array.from(values).sort();
      exact.push(performance.now() - t0);
      t0 = performance.now();
      sketch = new QuantileSketch();
      for (const v of values) sketch.add(v);
      sketched.push(performance.now() - t0);
    }
    const exactMs = median(exact);
    const sketchMs = median(sketched);
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
  console.log(
    `### Quantile accuracy, ${N.toLocaleString('en')} values each (baseline: exact quantiles by sorting; times: median of ${ROUNDS} rounds)\n`,
  );
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
    // SQLite runs in this process: its CPU is in the process's own.
    serverCpuMs: async () => 0,
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
    // Tagged so the bench can read its server processes' CPU time (Postgres runs on this machine).
    const tagged = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${schema}`;
    const storage = await createPostgresStorage({ connectionString: tagged, schema, poolSize: 4 });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`set search_path to ${schema}`);
    out.push({
      name: 'Postgres',
      storage,
      raw: async (q) => (await client.query(q)).rows,
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

// 2. Ingesting and rolling up executions ---------------------------------------------------------
// N executions (each with one node run) spread over a day, across 50 workflows, fed through
// AnalyticsIngest.add as the engine's events would be, with the ingest's clock following the
// executions so each 5-minute bucket closes as it would in production (memory stays one bucket's
// keys). Timed once per size: folding in (CPU per execution) and writing the partial buckets.
// Then ROUNDS rounds, each running in turn (order rotating): the baseline, one SQL GROUP BY
// (counts and sums, no sketches) over the same partial rows; Rollups.run over all tiers with the
// hourly tier read back from the 5-minute rows (the store's `also` removed: the path before the
// hourly tier was built in the 5-minute step); and Rollups.run as it is. Medians of the rounds, each
// rollup's CPU time (this process, plus its Postgres server processes read from /proc: on a loaded
// machine wall time mostly measures waiting for a core), and its peak RSS and heap over what it started with (sampled
// every 20 ms) against the smaller size, to show memory does not grow with the backlog.
const backends = await openBackends();
if (SIZES.length) {
  const rows = [];
  for (const b of backends) {
    const store = new SqlAnalyticsStore({ db: b.storage.db, dialect: b.name === 'SQLite' ? 'sqlite' : 'postgres' });
    const methods = ['upsertPartials', 'readPartials', 'readRollups', 'watermark', 'prune', 'replaceBuckets'];
    // Both variants go through a wrapper that samples memory as each step's merge returns: on
    // SQLite the driver never yields to timers inside a run, so the 20 ms sampler alone sees nothing.
    let sample = () => {};
    const wrap = (keepAlso) => {
      const w = Object.fromEntries(methods.map((m) => [m, (...a) => store[m](...a)]));
      w.rollUpInPlace = (step, merge) => {
        const { also, ...rest } = step;
        const sampled = (...a) => {
          const out = merge(...a);
          sample();
          return out;
        };
        const alsoSampled = also && {
          ...also,
          merge: (...a) => {
            const out = also.merge(...a);
            sample();
            return out;
          },
        };
        return store.rollUpInPlace(keepAlso && alsoSampled ? { ...rest, also: alsoSampled } : rest, sampled);
      };
      return w;
    };
    const without = wrap(false);
    const withAlso = wrap(true);
    for (const RAW of SIZES) {
      await b.raw('delete from analytics_partials');
      const r = rng(7);
      const from = NOW - 2 * DAY;
      let clock = from;
      const ingest = new AnalyticsIngest({ store, writerId: 'bench', flushIntervalMs: 3_600_000, now: () => clock });
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
      const runs = { base: [], before: [], after: [] };
      let written = 0;
      const rollUp = async (rollupStore, into) => {
        await b.raw('delete from analytics_rollups');
        await b.raw('delete from analytics_watermarks');
        global.gc?.();
        const m0 = process.memoryUsage();
        let rss = m0.rss;
        let heap = m0.heapUsed;
        sample = () => {
          const m = process.memoryUsage();
          rss = Math.max(rss, m.rss);
          heap = Math.max(heap, m.heapUsed);
        };
        const sampler = setInterval(sample, 20);
        const s0 = await b.serverCpuMs();
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        const result = await new Rollups({ store: rollupStore }).run(NOW);
        const wallMs = performance.now() - w0;
        const c = process.cpuUsage(c0);
        const dbMs = (await b.serverCpuMs()) - s0;
        clearInterval(sampler);
        written = result.fiveMinuteRows + result.hourlyRows + result.dailyRows;
        const cpuMs = (c.user + c.system) / 1000 + dbMs;
        into.push({ wallMs, cpuMs, rss: rss - m0.rss, heap: heap - m0.heapUsed });
      };
      const steps = [
        async () => {
          const w0 = performance.now();
          await b.raw(
            'select workflow_id, node_id, status, bucket_start, sum(count) as n, sum(sum_ms) as s, min(min_ms) as lo, max(max_ms) as hi from analytics_partials group by workflow_id, node_id, status, bucket_start',
          );
          runs.base.push({ wallMs: performance.now() - w0 });
        },
        () => rollUp(without, runs.before),
        () => rollUp(withAlso, runs.after),
      ];
      for (let round = 0; round < ROUNDS; round++)
        for (let k = 0; k < steps.length; k++) await steps[(k + round) % steps.length]();
      const med = (xs, key) => median(xs.map((x) => x[key]));
      const before = med(runs.before, 'wallMs');
      const after = med(runs.after, 'wallMs');
      rows.push([
        b.name,
        RAW.toLocaleString('en'),
        `${((foldMs * 1000) / RAW).toFixed(2)} µs`,
        `${(writeMs / 1000).toFixed(1)} s`,
        Number(partials).toLocaleString('en'),
        ms(med(runs.base, 'wallMs')),
        `${(before / 1000).toFixed(2)} s`,
        `${(after / 1000).toFixed(2)} s`,
        `${(after / before).toFixed(2)}x`,
        `${(med(runs.before, 'cpuMs') / 1000).toFixed(2)} -> ${(med(runs.after, 'cpuMs') / 1000).toFixed(2)} s (${(med(runs.after, 'cpuMs') / med(runs.before, 'cpuMs')).toFixed(2)}x)`,
        written.toLocaleString('en'),
        `+${mb(med(runs.after, 'rss'))} / +${mb(med(runs.after, 'heap'))}`,
        `${((foldMs + writeMs + after) / 1000).toFixed(1)} s`,
      ]);
    }
  }
  console.log(
    `### Ingesting and rolling up executions (each with one node run) spread over a day, 50 workflows; rollups: median of ${ROUNDS} rounds\n`,
  );
  table(
    [
      'backend',
      'executions',
      'fold in, per execution',
      'write partials',
      'partial rows',
      'GROUP BY ms (baseline)',
      'rollup, hourly read back from 5m rows (before)',
      'rollup, hourly built in the 5m step (after)',
      'after / before',
      'rollup CPU (this process + Postgres server), before -> after',
      'rollup rows (all tiers)',
      'rollup peak RSS / heap over start (after)',
      'total (fold + write + rollup after)',
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
      // Loaded through the store's own writer (replaceBuckets: rollupValues + bulkUpsert), as the
      // rollup job writes them, with the hourly and daily watermarks moving along.
      const dayStart = start + h * HOUR;
      await store.replaceBuckets('1h', HOUR, dayStart, dayStart + DAY, batch);
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
      await store.replaceBuckets(
        '1d',
        DAY,
        dayStart,
        dayStart + DAY,
        [...days.values()].map(({ merged, ...d }) => ({ ...d, sketch: merged.encode() })),
      );
    }
    await b.raw(b.name === 'SQLite' ? 'analyze' : 'analyze analytics_rollups');
    const loadS = (performance.now() - t0) / 1000;
    // Wall time and CPU time per query (this process, plus the Postgres server's): on a loaded
    // machine wall time mostly measures waiting for a core. /proc counts in 10 ms ticks, so the
    // server's share shows in the percentiles rather than in each query.
    const measure = async (label, fn, n = 60) => {
      const times = [];
      const cpu = [];
      for (let i = 0; i < n; i++) {
        const s0 = await b.serverCpuMs();
        const c0 = process.cpuUsage();
        const t = performance.now();
        await fn(i);
        times.push(performance.now() - t);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000 + (await b.serverCpuMs()) - s0);
      }
      return [b.name, label, ms(pct(times, 0.5)), ms(pct(times, 0.99)), ms(pct(cpu, 0.5)), ms(pct(cpu, 0.99))];
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
    // Printed per backend: loading the 1,000 workflows takes tens of minutes each.
    console.log(
      `\n### historical over ${DAYS} days of rollups for ${WORKFLOWS.toLocaleString('en')} workflows on ${b.name}, daily points (${((WORKFLOWS + 1) * hours).toLocaleString('en')} hourly rows loaded in ${loadS.toFixed(0)} s)\n`,
    );
    table(['backend', 'query', 'p50 ms', 'p99 ms', 'CPU p50 ms', 'CPU p99 ms'], rows.splice(0));
  }
}

for (const b of backends) await b.close();
