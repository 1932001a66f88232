#!/usr/bin/env node
// Postgres storage benchmarks, each beside an in-memory baseline measured in the same run:
//  1. durable execution write pattern: create, then one checkpoint of 5 node runs + the final status, 50 in flight
//  2. queue latency enqueue -> claim (p50/p99) with a worker woken by LISTEN/NOTIFY
//  3. pruning 1,000,000 execution rows: time and peak RSS of the pruning process
// Reads WEFT_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); works in a
// throwaway schema that it drops at the end. `npm run bench -- postgres`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MemoryExecutionStore, MemoryQueue } from '@weft/engine';
import pg from 'pg';
import { fmt, median, queueLatency, writePattern } from '../../sql/bench/storage-harness.mjs';
import { createPostgresStorage } from '../dist/index.js';

const url = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--prune-child') {
  const storage = await createPostgresStorage({ connectionString: url, schema: process.argv[3], migrate: false });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const t0 = performance.now();
  let deleted = 0;
  for await (const p of storage.executions.pruneExecutions({ olderThan: Number.MAX_SAFE_INTEGER, chunkSize: 10_000 })) {
    deleted = p.deleted;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - t0;
  await storage.close();
  console.log(
    JSON.stringify({ deleted, ms, rssBefore, peakSampled: peak, maxRss: process.resourceUsage().maxRSS * 1024 }),
  );
  process.exit(0);
}

const schema = `weft_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
try {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)\n`,
  );
  const TOTAL = Number(process.env.BENCH_EXECUTIONS ?? 10_000);
  const rounds = 3;
  const mem = [];
  const pgRates = [];
  for (let r = 0; r < rounds; r++) {
    mem.push(await writePattern(new MemoryExecutionStore(), TOTAL));
    const s = await createPostgresStorage({ connectionString: url, schema });
    pgRates.push(await writePattern(s.executions, TOTAL));
    await s.db.deleteFrom('node_runs').execute();
    await s.db.deleteFrom('executions').execute();
    await s.close();
  }
  const memRate = median(mem);
  console.log(
    `durable execution write pattern (create + 1 checkpoint of 5 node runs and the status = 2 writes; 50 in flight; ${fmt(TOTAL)} executions; median of ${rounds})`,
  );
  console.table([
    { backend: 'memory (baseline)', 'executions/s': fmt(memRate), 'writes/s': fmt(memRate * 7), 'vs memory': '100%' },
    {
      backend: 'postgres (batched)',
      'executions/s': fmt(median(pgRates)),
      'writes/s': fmt(median(pgRates) * 7),
      'vs memory': `${fmt((median(pgRates) / memRate) * 100, 1)}%`,
    },
  ]);

  const N = 1000;
  const memLat = await queueLatency(new MemoryQueue(), N, 2);
  const q = await createPostgresStorage({ connectionString: url, schema });
  const pgLat = await queueLatency(q.queue, N, 2);
  await q.close();
  console.log(`\nqueue latency enqueue -> claim (${fmt(N)} jobs, one every ~2 ms, worker woken by LISTEN/NOTIFY)`);
  console.table([
    { backend: 'memory (baseline)', 'p50 ms': fmt(memLat.p50, 3), 'p99 ms': fmt(memLat.p99, 3) },
    { backend: 'postgres', 'p50 ms': fmt(pgLat.p50, 3), 'p99 ms': fmt(pgLat.p99, 3) },
  ]);

  const PRUNE = Number(process.env.BENCH_PRUNE_ROWS ?? 1_000_000);
  const t = pg.escapeIdentifier(schema);
  const g0 = performance.now();
  await admin.query(
    `insert into ${t}.executions (id, workspace_id, workflow_id, workflow_version, status, mode, input, output, started_at, finished_at, depth)
     select 'ex-' || i, 'ws', 'wf-' || (i % 100), 1, 'succeeded', 'manual', $2::jsonb, $2::jsonb, 1700000000000 + i, 1700000000001 + i, 0
     from generate_series(1, $1::int) as i`,
    [PRUNE, JSON.stringify({ main: [{ json: { orderId: 1, amount: 99.5 } }] })],
  );
  await admin.query(`analyze ${t}.executions`);
  const genMs = performance.now() - g0;
  const child = spawnSync(process.execPath, [self, '--prune-child', schema], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`prune child failed: ${child.stderr}`);
  const res = JSON.parse(child.stdout.trim().split('\n').pop());
  const mb = (b) => fmt(b / 1024 / 1024, 1);
  console.log(
    `\nprune ${fmt(PRUNE)} execution rows (generated in ${fmt(genMs / 1000, 1)} s; chunks of 10,000; fresh process)`,
  );
  console.table([
    { measure: 'rows deleted', value: fmt(res.deleted) },
    { measure: 'time', value: `${fmt(res.ms / 1000, 1)} s (${fmt(res.deleted / (res.ms / 1000))} rows/s)` },
    { measure: 'RSS before prune (baseline)', value: `${mb(res.rssBefore)} MB` },
    { measure: 'peak RSS during prune (sampled per chunk)', value: `${mb(res.peakSampled)} MB` },
    { measure: 'peak RSS of the process (getrusage maxRSS)', value: `${mb(res.maxRss)} MB` },
  ]);
} finally {
  await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
  await admin.end();
}
