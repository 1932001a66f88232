#!/usr/bin/env node
// Queue benchmark: enqueue -> claim latency (p50/p99, paced producer) and throughput (jobs/s,
// enqueue + claim + ack of a burst) with 1 and 2 claimers, for RedisQueue beside the engine's
// MemoryQueue measured in the same run. Each figure is the median of REPS runs.
// Redis: WEFT_BENCH_REDIS_URL, else WEFT_TEST_REDIS_URL, else redis://127.0.0.1:6379.
// Needs a build first (`npm run bench` at the root builds; so does this package's `npm run bench`).
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MemoryQueue } from '@weft/engine';
import { Redis } from 'ioredis';
import { RedisQueue } from '../dist/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const LATENCY_JOBS = Number(process.env.BENCH_LATENCY_JOBS ?? 1500);
const BURST_JOBS = Number(process.env.BENCH_BURST_JOBS ?? 10000);
const url = process.env.WEFT_BENCH_REDIS_URL ?? process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

/** A backend: a producer queue and `n` claimer queues (separate connections for Redis), plus teardown. */
async function openMemory(n) {
  const queue = new MemoryQueue();
  return { producer: queue, claimers: Array.from({ length: n }, () => queue), close: () => queue.close() };
}

async function openRedis(n) {
  const prefix = `weft-bench-${randomBytes(4).toString('hex')}`;
  const clients = Array.from({ length: n + 1 }, () => new Redis(url, { maxRetriesPerRequest: null }));
  const queues = clients.map((redis) => new RedisQueue({ redis, prefix }));
  return {
    producer: queues[0],
    claimers: queues.slice(1),
    close: async () => {
      for (const q of queues) await q.close();
      let cursor = '0';
      do {
        const [next, keys] = await clients[0].scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await clients[0].del(...keys);
      } while (cursor !== '0');
      for (const c of clients) c.disconnect();
    },
  };
}

/** Claim loops that ack everything they get, recording enqueue -> claim latency, until `total` are acked. */
function runClaimers(claimers, total, latencies) {
  let acked = 0;
  return Promise.all(
    claimers.map(async (queue, i) => {
      while (acked < total) {
        const got = await queue.claim({ workerId: `w${i}`, leaseMs: 30_000, max: 50 });
        if (got.length === 0) {
          await queue.waitForJobs(50);
          continue;
        }
        const now = performance.now();
        for (const c of got) latencies?.push(now - c.job.payload.t);
        await Promise.all(got.map((c) => queue.ack(c)));
        acked += got.length;
      }
    }),
  );
}

async function latencyRun(open, n) {
  const backend = await open(n);
  const latencies = [];
  const claiming = runClaimers(backend.claimers, LATENCY_JOBS, latencies);
  await sleep(20); // let claimers reach waitForJobs (and Redis subscribers connect)
  for (let i = 0; i < LATENCY_JOBS; i++) {
    const t = performance.now();
    await backend.producer.enqueue({ workspaceId: 'ws', executionId: `ex${i}`, kind: 'start', payload: { t } });
    await sleep(1);
  }
  await claiming;
  await backend.close();
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function burstRun(open, n) {
  const backend = await open(n);
  const start = performance.now();
  const claiming = runClaimers(backend.claimers, BURST_JOBS);
  for (let i = 0; i < BURST_JOBS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, BURST_JOBS - i) }, (_, j) =>
        backend.producer.enqueue({ workspaceId: 'ws', executionId: `ex${i + j}`, kind: 'start', payload: { t: 0 } }),
      ),
    );
  }
  await claiming;
  const seconds = (performance.now() - start) / 1000;
  await backend.close();
  return BURST_JOBS / seconds;
}

async function measure(name, open, n) {
  const p50s = [];
  const p99s = [];
  const rates = [];
  for (let r = 0; r < REPS; r++) {
    globalThis.gc?.();
    const lat = await latencyRun(open, n);
    p50s.push(lat.p50);
    p99s.push(lat.p99);
    globalThis.gc?.();
    rates.push(await burstRun(open, n));
  }
  return { name, claimers: n, p50: median(p50s), p99: median(p99s), rate: median(rates) };
}

async function redisReachable() {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    probe.disconnect();
  }
}

const problem = await redisReachable();
const rows = [];
for (const n of [1, 2]) rows.push(await measure('memory (baseline)', openMemory, n));
if (!problem) for (const n of [1, 2]) rows.push(await measure('redis', openRedis, n));

const fmt = (x, d = 2) => x.toFixed(d);
console.log(
  `Machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (1/5/15 min) at the end of the run; latency tails grow with load`,
);
console.log(
  `Queue: ${LATENCY_JOBS} paced jobs (enqueue -> claim latency) and a burst of ${BURST_JOBS} (enqueue + claim + ack), median of ${REPS} runs`,
);
console.log('| backend | claimers | p50 ms | p99 ms | jobs/s | jobs/s vs memory |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const base = rows.find((r) => r.name.startsWith('memory') && r.claimers === row.claimers);
  console.log(
    `| ${row.name} | ${row.claimers} | ${fmt(row.p50, 3)} | ${fmt(row.p99, 3)} | ${Math.round(row.rate)} | ${fmt(row.rate / base.rate)}x |`,
  );
}
if (problem) console.log(`| redis | - | skipped: ${url} unreachable (${problem}) | | | |`);
else {
  const worst = Math.max(...rows.filter((r) => r.name === 'redis').map((r) => r.p99));
  console.log(`\nRedis enqueue -> claim p99 target <= 10 ms: ${worst <= 10 ? 'met' : 'MISSED'} (${fmt(worst, 3)} ms)`);
}
