#!/usr/bin/env node
// @weft/analytics benchmarks, each table with a baseline measured in the same run:
//  1. quantile accuracy of QuantileSketch against exact (sorted) quantiles on five distributions
//  2. ingesting N executions (+ node runs) into partial buckets and rolling them up on SQLite and
//     Postgres, at two sizes: time, CPU, peak RSS and heap; baselines: one GROUP BY over the same
//     partial rows (no sketches), and the rollup reading the hourly tier back from 5-minute rows
// (`historical` over a year of rollups: analytics-historical.bench.mjs.)
// Sizes (defaults sized for about a minute on a busy two-core machine):
//  ANALYTICS_BENCH_RAW (executions, comma-separated sizes: 100000,1000000; 0 skips section 2),
//  ANALYTICS_BENCH_ROUNDS (3).
// Postgres from WEFT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), in a
// throwaway schema; skipped when it does not answer. `npm run bench -- analytics`.
import { AnalyticsIngest, QuantileSketch, Rollups } from '@weft/analytics';
import { SqlAnalyticsStore } from '@weft/sql';
import { DAY, gauss, HOUR, mb, median, ms, openBackends, rng, table } from './bench-support.mjs';

const SIZES = (process.env.ANALYTICS_BENCH_RAW ?? '100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const ROUNDS = Number(process.env.ANALYTICS_BENCH_ROUNDS ?? 3);
const WORKFLOW_IDS = Array.from({ length: 50 }, (_, i) => `wf-${i}`);
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

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

// 2. Ingesting and rolling up executions ---------------------------------------------------------
// N executions (each with one node run) spread over a day, across 50 workflows, fed through
// AnalyticsIngest.add as the engine's events would be, with the ingest's clock following the
// executions so each 5-minute bucket closes as it would in production (memory stays one bucket's
// keys). Timed once per size: folding in (CPU per execution) and writing the partial buckets.
// Then ROUNDS rounds, each running in turn (order rotating): the baseline, one SQL GROUP BY
// (counts and sums, no sketches) over the same partial rows; Rollups.run over all tiers with the
// store's `firstSourceBucket` hidden, so every empty chunk of the backlog is probed in its own
// transaction (the path before empty stretches were skipped in one query); and Rollups.run as it
// is. Steps are the rollup transactions (`rollUpInPlace` calls). Medians of the rounds, each
// rollup's CPU time (this process, plus its Postgres server processes read from /proc: on a loaded
// machine wall time mostly measures waiting for a core), and its peak RSS and heap over what it started with (sampled
// every 20 ms) against the smaller size, to show memory does not grow with the backlog.
const backends = await openBackends();
if (SIZES.length) {
  const rows = [];
  for (const b of backends) {
    const store = new SqlAnalyticsStore({ db: b.storage.db, dialect: b.name === 'SQLite' ? 'sqlite' : 'postgres' });
    const methods = [
      'upsertPartials',
      'readPartials',
      'readRollups',
      'watermark',
      'prune',
      'replaceBuckets',
      'firstSourceBucket',
    ];
    // Both variants go through a wrapper that samples memory as each step's merge returns: on
    // SQLite the driver never yields to timers inside a run, so the 20 ms sampler alone sees nothing.
    let sample = () => {};
    const stepCount = new Map();
    const wrap = (skipEmpty) => {
      const w = Object.fromEntries(
        methods.filter((m) => skipEmpty || m !== 'firstSourceBucket').map((m) => [m, (...a) => store[m](...a)]),
      );
      w.rollUpInPlace = (step, merge) => {
        stepCount.set(w, (stepCount.get(w) ?? 0) + 1);
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
        return store.rollUpInPlace(alsoSampled ? { ...rest, also: alsoSampled } : rest, sampled);
      };
      return w;
    };
    const probing = wrap(false);
    const skipping = wrap(true);
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
      const stepsOf = new Map();
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
        stepCount.set(rollupStore, 0);
        const result = await new Rollups({ store: rollupStore }).run(NOW);
        stepsOf.set(rollupStore, stepCount.get(rollupStore));
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
        () => rollUp(probing, runs.before),
        () => rollUp(skipping, runs.after),
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
        `${stepsOf.get(probing)} -> ${stepsOf.get(skipping)}`,
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
      'rollup, empty chunks probed one by one (before)',
      'rollup, empty stretches skipped in one query (after)',
      'after / before',
      'steps, before -> after',
      'rollup CPU (this process + Postgres server), before -> after',
      'rollup rows (all tiers)',
      'rollup peak RSS / heap over start (after)',
      'total (fold + write + rollup after)',
    ],
    rows,
  );
}

for (const b of backends) await b.close();
