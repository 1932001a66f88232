#!/usr/bin/env node
// `historical` over a year of hourly rollups (and the daily tier built from them) for W workflows on
// SQLite and Postgres, p50/p99 of wall and CPU time per query, in two layouts loaded and queried in
// the same run, queries alternating between them:
//  - before: the rollups table without migration 24 (SQLite rowid table, rows in load order) and
//    the daily tier written a day at a time, as the rollup job wrote it before;
//  - after: migration 24 (SQLite WITHOUT ROWID, rows in primary-key order) and the daily tier
//    written as the rollup job now writes it: each day the week so far again, sorted by key.
// Baseline: one workflow-year of hourly rows read with a plain SELECT and nothing computed. On
// Postgres also the buffers (8 KB pages) one year-long daily series touches (EXPLAIN BUFFERS).
// The hourly tier is loaded hour by hour, every workflow's row of an hour together, as the job
// writes it, with one prepared statement in one transaction per day (SQLite) or one `unnest`
// insert per day (Postgres); the daily rows through the store's own writer (`replaceBuckets`).
// Sizes: ANALYTICS_BENCH_WORKFLOWS (200; the issue's figure is 1000: 8.8 M hourly rows per layout
// and backend), ANALYTICS_BENCH_DAYS (365), ANALYTICS_BENCH_QUERIES (60 per query and layout),
// ANALYTICS_BENCH_BACKEND (SQLite or Postgres: only that one).
// `npm run bench -- analytics-historical`.
import { loadavg } from 'node:os';
import { historicalSeries, QuantileSketch } from '@weft/analytics';
import { SqlAnalyticsStore, weftMigrations } from '@weft/sql';
import { DAY, gauss, HOUR, ms, openBackends, pct, rng, table } from './bench-support.mjs';

const WORKFLOWS = Number(process.env.ANALYTICS_BENCH_WORKFLOWS ?? 200);
const DAYS = Number(process.env.ANALYTICS_BENCH_DAYS ?? 365);
const QUERIES = Number(process.env.ANALYTICS_BENCH_QUERIES ?? 60);
const WEEK = 7 * DAY;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
const END = Math.floor(NOW / DAY) * DAY;
const START = END - DAYS * DAY;
const COLUMNS = [
  ['workspace_id', 'text'],
  ['bucket_ms', 'int'],
  ['workflow_id', 'text'],
  ['node_id', 'text'],
  ['bucket_start', 'int'],
  ['status', 'text'],
  ['count', 'int'],
  ['sum_ms', 'real'],
  ['min_ms', 'real'],
  ['max_ms', 'real'],
  ['retries', 'int'],
  ['sketch', 'text'],
];

// 64 hourly sketches of 40 durations each; workflow w's sketch at hour h is hourly[(w + h) & 63],
// so its daily sketch at day d (hours 24d..24d+23) is daily[(w + 24d) & 63], merged once here.
const r = rng(11);
const hourly = Array.from({ length: 64 }, () => {
  const s = new QuantileSketch();
  for (let i = 0; i < 40; i++) s.add(Math.exp(4 + 0.8 * gauss(r)));
  return s.encode();
});
const daily = hourly.map((_, j) => {
  const s = new QuantileSketch();
  for (let i = 0; i < 24; i++) s.merge(QuantileSketch.decode(hourly[(j + i) & 63]));
  return s.encode();
});
const workflowOf = (w) => (w < 0 ? '' : `wf-${w}`);
const countOf = (w) => (w < 0 ? WORKFLOWS * 20 : 20);

/** A day's hourly rows (bulk-insert arrays), hour by hour; w = -1 is the workspace-wide row. */
function hourRows(dayStart) {
  const rows = [];
  for (let k = 0; k < 24; k++) {
    const h = (dayStart - START) / HOUR + k;
    for (let w = -1; w < WORKFLOWS; w++) {
      const c = countOf(w);
      rows.push([
        'ws-hist',
        HOUR,
        workflowOf(w),
        '',
        dayStart + k * HOUR,
        'succeeded',
        c,
        c * 60,
        5,
        900,
        0,
        hourly[(w + h) & 63],
      ]);
    }
  }
  return rows;
}

/** A day's daily rows (RollupRow objects, as the rollup job hands them to the store). */
function dayRows(dayStart) {
  const d = (dayStart - START) / HOUR;
  const rows = [];
  for (let w = -1; w < WORKFLOWS; w++) {
    const c = countOf(w) * 24;
    rows.push({
      workspaceId: 'ws-hist',
      workflowId: workflowOf(w),
      nodeId: '',
      status: 'succeeded',
      bucketMs: DAY,
      bucketStart: dayStart,
      count: c,
      sumMs: c * 60,
      minMs: 5,
      maxMs: 900,
      retries: 0,
      sketch: daily[(w + d) & 63],
    });
  }
  return rows;
}

async function load(b, store, weekly) {
  const t0 = performance.now();
  // A year in minutes writes to every series' last page each hour: with SQLite's default 2 MB
  // page cache those are read and spilled again and again. The queries run with the default.
  if (b.name === 'SQLite') b.raw('pragma cache_size = -524288');
  for (let day = START; day < END; day += DAY) {
    await b.insert('analytics_rollups', COLUMNS, hourRows(day));
    const from = weekly ? Math.max(START, Math.floor(day / WEEK) * WEEK) : day;
    const rows = [];
    for (let d = from; d <= day; d += DAY) rows.push(...dayRows(d));
    await store.replaceBuckets('1d', DAY, from, day + DAY, rows);
  }
  for (const tier of ['1h', '5m']) {
    await b.raw(
      `insert into analytics_watermarks (tier, done_until) values ('${tier}', ${END}) on conflict (tier) do update set done_until = excluded.done_until`,
    );
  }
  if (b.name === 'SQLite') b.raw('pragma cache_size = -2000');
  await b.raw(b.name === 'SQLite' ? 'analyze' : 'vacuum analyze analytics_rollups');
  return (performance.now() - t0) / 1000;
}

const layouts = [
  { label: 'before', weekly: false, backends: await openBackends(weftMigrations.filter((m) => m.version !== 24)) },
  { label: 'after', weekly: true, backends: await openBackends() },
];
const only = process.env.ANALYTICS_BENCH_BACKEND;
const names = layouts[1].backends.map((b) => b.name).filter((n) => !only || n === only);
for (const name of names) {
  const sides = layouts.map((l) => {
    const b = l.backends.find((x) => x.name === name);
    return {
      ...l,
      b,
      store: new SqlAnalyticsStore({ db: b.storage.db, dialect: name === 'SQLite' ? 'sqlite' : 'postgres' }),
    };
  });
  if (sides.some((s) => !s.b)) continue;
  const loaded = [];
  for (const s of sides) loaded.push(`${s.label} ${(await load(s.b, s.store, s.weekly)).toFixed(0)} s`);
  const wf = (i) => `wf-${(i * 7919) % WORKFLOWS}`;
  const q = (metric, workflowId) => ({
    workspaceId: 'ws-hist',
    metric,
    from: START,
    to: NOW,
    stepMs: DAY,
    ...(workflowId ? { workflowId } : {}),
  });
  const queries = [
    [
      'baseline: SELECT one workflow-year of hourly rows',
      (s, i) =>
        s.b.raw(
          `select count, sum_ms, sketch, bucket_start, status from analytics_rollups where workspace_id = 'ws-hist' and bucket_ms = ${HOUR} and workflow_id = '${wf(i)}' and node_id = '' and bucket_start >= ${START} and bucket_start < ${NOW}`,
        ),
    ],
    ['runs per day, one workflow', (s, i) => historicalSeries(s.store, q('runs', wf(i)), NOW)],
    ['p95 per day, one workflow', (s, i) => historicalSeries(s.store, q('p95Ms', wf(i)), NOW)],
    ['runs per day, whole workspace', (s) => historicalSeries(s.store, q('runs'), NOW)],
    ['p99 per day, whole workspace', (s) => historicalSeries(s.store, q('p99Ms'), NOW)],
  ];
  const load0 = loadavg()[0];
  const rows = [];
  for (const [label, fn] of queries) {
    const runs = sides.map(() => ({ wall: [], cpu: [] }));
    for (let i = 0; i < QUERIES; i++) {
      // Alternating which layout goes first, so both see the same machine.
      for (const k of i % 2 ? [1, 0] : [0, 1]) {
        const s = sides[k];
        const s0 = await s.b.serverCpuMs();
        const c0 = process.cpuUsage();
        const t = performance.now();
        await fn(s, i);
        runs[k].wall.push(performance.now() - t);
        const c = process.cpuUsage(c0);
        runs[k].cpu.push((c.user + c.system) / 1000 + (await s.b.serverCpuMs()) - s0);
      }
    }
    const fmt = (xs) => `${ms(pct(xs, 0.5))} / ${ms(pct(xs, 0.99))}`;
    rows.push([label, ...runs.map((x) => fmt(x.wall)), ...runs.map((x) => fmt(x.cpu))]);
  }
  const pages = [];
  if (name === 'Postgres') {
    for (const s of sides) {
      const [plan] = await s.b.raw(
        `explain (analyze, buffers, format json) select * from analytics_rollups where workspace_id = 'ws-hist' and bucket_ms = ${DAY} and workflow_id = '${wf(1)}' and node_id = '' and bucket_start >= ${START} and bucket_start < ${END}`,
      );
      const top = plan['QUERY PLAN'][0].Plan;
      pages.push(`${s.label} ${top['Shared Hit Blocks'] + top['Shared Read Blocks']}`);
    }
  }
  console.log(
    `\n### historical over ${DAYS} days of rollups for ${WORKFLOWS.toLocaleString('en')} workflows on ${name}, daily points (${((WORKFLOWS + 1) * DAYS * 24).toLocaleString('en')} hourly rows per layout, loaded in ${loaded.join(', ')}; ${QUERIES} queries per row and layout, alternating; load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}${pages.length ? `; buffers read by one workflow's year of daily rows: ${pages.join(', ')}` : ''})\n`,
  );
  table(
    ['query', 'before p50 / p99 ms', 'after p50 / p99 ms', 'before CPU p50 / p99 ms', 'after CPU p50 / p99 ms'],
    rows,
  );
}
for (const l of layouts) for (const b of l.backends) await b.close();
