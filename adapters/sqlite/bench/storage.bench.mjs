#!/usr/bin/env node
// SQLite storage benchmarks, each beside an in-memory baseline measured in the same run:
//  1. durable execution write pattern: create, then one checkpoint of 5 node runs + the final status, 50 in flight
//  2. queue latency enqueue -> claim (p50/p99) with a worker sleeping in waitForJobs
//  3. pruning 1,000,000 execution rows: time and peak RSS of the pruning process
// Run with `npm run bench -- sqlite` (builds first) or `node adapters/sqlite/bench/storage.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryExecutionStore, MemoryQueue } from '@weft/engine';
import { fmt, median, queueLatency, writePattern } from '../../sql/bench/storage-harness.mjs';
import { createSqliteStorage } from '../dist/index.js';

const self = fileURLToPath(import.meta.url);
async function pruneChild(filename) {
  const storage = await createSqliteStorage({ filename });
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
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ deleted, ms, rssBefore, peakSampled: peak, maxRss }));
}

function generate(filename, rows) {
  return createSqliteStorage({ filename }).then(async (s) => {
    const input = JSON.stringify({ main: [{ json: { orderId: 1, amount: 99.5 } }] });
    s.database
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into executions (id, workspace_id, workflow_id, workflow_version, status, mode, input, output, started_at, finished_at, depth)
         select 'ex-' || i, 'ws', 'wf-' || (i % 100), 1, 'succeeded', 'manual', ?, ?, 1700000000000 + i, 1700000000001 + i, 0 from n`,
      )
      .run(rows, input, input);
    await s.close();
  });
}

if (process.argv[2] === '--prune-child') {
  await pruneChild(process.argv[3]);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-sqlite-'));
try {
  // 1. write pattern
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)\n`,
  );
  const TOTAL = Number(process.env.BENCH_EXECUTIONS ?? 20_000);
  const rounds = 3;
  const mem = [];
  const file = [];
  const inmem = [];
  for (let r = 0; r < rounds; r++) {
    mem.push(await writePattern(new MemoryExecutionStore(), TOTAL));
    const s = await createSqliteStorage({ filename: join(dir, `w${r}.db`) });
    file.push(await writePattern(s.executions, TOTAL));
    await s.close();
    const m = await createSqliteStorage({ filename: ':memory:' });
    inmem.push(await writePattern(m.executions, TOTAL));
    await m.close();
  }
  const memRate = median(mem);
  console.log(
    `durable execution write pattern (create + 1 checkpoint of 5 node runs and the status = 2 writes; 50 in flight; ${fmt(TOTAL)} executions; median of ${rounds})`,
  );
  console.table([
    { backend: 'memory (baseline)', 'executions/s': fmt(memRate), 'writes/s': fmt(memRate * 7), 'vs memory': '100%' },
    {
      backend: 'sqlite file (WAL)',
      'executions/s': fmt(median(file)),
      'writes/s': fmt(median(file) * 7),
      'vs memory': `${fmt((median(file) / memRate) * 100, 1)}%`,
    },
    {
      backend: 'sqlite :memory:',
      'executions/s': fmt(median(inmem)),
      'writes/s': fmt(median(inmem) * 7),
      'vs memory': `${fmt((median(inmem) / memRate) * 100, 1)}%`,
    },
  ]);

  // 2. queue latency
  const N = 2000;
  const memLat = await queueLatency(new MemoryQueue(), N);
  const q = await createSqliteStorage({ filename: join(dir, 'q.db') });
  const sqlLat = await queueLatency(q.queue, N);
  await q.close();
  console.log(`\nqueue latency enqueue -> claim (${fmt(N)} jobs, one every ~1 ms, worker in waitForJobs)`);
  console.table([
    { backend: 'memory (baseline)', 'p50 ms': fmt(memLat.p50, 3), 'p99 ms': fmt(memLat.p99, 3) },
    { backend: 'sqlite file', 'p50 ms': fmt(sqlLat.p50, 3), 'p99 ms': fmt(sqlLat.p99, 3) },
  ]);

  // 3. prune 1M rows, measured in a fresh process
  const PRUNE = Number(process.env.BENCH_PRUNE_ROWS ?? 1_000_000);
  const pf = join(dir, 'prune.db');
  const g0 = performance.now();
  await generate(pf, PRUNE);
  const genMs = performance.now() - g0;
  const sizeBefore = statSync(pf).size;
  const child = spawnSync(process.execPath, [self, '--prune-child', pf], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`prune child failed: ${child.stderr}`);
  const res = JSON.parse(child.stdout.trim().split('\n').pop());
  const sizeAfter = statSync(pf).size;
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
    { measure: 'file size before -> after (incremental vacuum)', value: `${mb(sizeBefore)} MB -> ${mb(sizeAfter)} MB` },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
