#!/usr/bin/env node
// What execution analytics cost on the webhook hot path: the reference flow of webhook.bench.mjs
// (webhook -> code -> if -> set -> respond, every execution persisted on SQLite) served by two
// hosts, each in its own process, one with WEFT_ANALYTICS=0 (the baseline) and one with
// WEFT_ANALYTICS=1, loaded in alternating rounds by autocannon in a third process (50 keep-alive
// connections). Server CPU per request is each server process's own CPU time over its rounds
// divided by the requests it served; after each round the analytics host writes its buffered
// buckets before its CPU is read, so the ingest's background writes are charged to it.
// Medians of BENCH_ROUNDS (default 9) rounds of BENCH_DURATION_S (default 8) seconds, plus the
// median of each round pair's CPU ratio (robust to load that drifts while the bench runs) and the
// time spent inside AnalyticsIngest.observe, i.e. on the request path.
// Target (issue 12): analytics on costs <= 5% more CPU per request (and <= 5% throughput).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, CONNECTIONS, cpuUs, load, median, setUpOrderWebhook, spawnChild } from './bench-lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const self = new URL(import.meta.url).pathname;

if (process.argv[2] === 'server') {
  await server(process.argv[3] === 'on');
} else {
  await main();
}

async function server(analytics) {
  const { createHost, loadConfig } = await import('../dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'weft-analytics-bench-'));
  const config = loadConfig(benchEnv(dir, { WEFT_ANALYTICS: analytics ? '1' : '0' }));
  const host = await createHost(config, { announce: () => {} });
  const { url, ws } = await setUpOrderWebhook(await host.listen());
  process.on('message', async (m) => {
    if (m === 'cpu') {
      // Charge the ingest's pending writes to this round.
      await host.runtime.analytics.ingest.flush();
      process.send({ cpu: cpuUs() });
    } else if (m === 'report') {
      await host.runtime.analytics.rollUp(Date.now() + 10 * 60_000);
      const [m1] = await host.runtime.analytics.realtime.windows(ws, Date.now());
      const partials = await host.runtime.h.db
        .selectFrom('analytics_partials')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      const ingest = host.runtime.analytics.ingest;
      process.send({
        partials: Number(partials.n),
        lastMinuteRuns: m1.runs,
        dropped: ingest.dropped,
        late: ingest.late,
      });
    } else if (m === 'close') {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ url });
}

/**
 * The request-path part alone, without the noise of a loaded machine: the reference flow's 12
 * engine events per execution built the way ExecutionRun emits them, delivered to nothing
 * (baseline) or to AnalyticsIngest.observe with realtime counters, alternating; CPU per execution.
 */
async function foldInCost() {
  const { AnalyticsIngest, MemoryRealtimeCounters, RealtimeMetrics } = await import('@weft/analytics');
  const { MemoryAnalyticsStore } = await import('@weft/engine');
  const ingest = new AnalyticsIngest({
    store: new MemoryAnalyticsStore(),
    realtime: new RealtimeMetrics(new MemoryRealtimeCounters()),
  });
  const N = 100_000;
  let seq = 0;
  const emit = (to, r, event) =>
    to({
      executionId: r.id,
      workspaceId: r.workspaceId,
      workflowId: r.workflowId,
      seq: seq++,
      at: Date.now(),
      ...event,
    });
  const execution = (i, to) => {
    const r = { id: `e${i}`, workspaceId: 'ws-0123456789', workflowId: 'bench' };
    emit(to, r, { type: 'workflow:started', mode: 'webhook', resumed: false });
    for (const n of ['hook', 'code', 'if', 'set', 'respond']) {
      emit(to, r, { type: 'node:started', nodeId: n, nodeName: n, runIndex: 0 });
      emit(to, r, {
        type: 'node:executed',
        nodeId: n,
        nodeName: n,
        runIndex: 0,
        status: 'success',
        durationMs: (i % 97) / 50,
        attempts: 1,
        itemsIn: 1,
        itemsOut: { main: 1 },
      });
    }
    emit(to, r, { type: 'workflow:completed', durationMs: 1 + (i % 89) / 20, output: {} });
  };
  const sinks = [
    ['events delivered to nothing (baseline)', () => {}],
    ['events delivered to AnalyticsIngest.observe', (e) => ingest.observe(e)],
  ];
  const runs = sinks.map(() => []);
  for (let round = 0; round < 7; round++) {
    for (const [i, [, to]] of sinks.entries()) {
      const c0 = process.cpuUsage();
      for (let k = 0; k < N; k++) execution(k, to);
      const c = process.cpuUsage(c0);
      runs[i].push((c.user + c.system) / N);
    }
  }
  await ingest.close();
  const [base, withIngest] = runs.map(median);
  console.log(
    "### Request-path cost of analytics: folding one execution's 12 events in (in process, median of 7 rounds)\n",
  );
  console.log('| scenario | CPU µs per execution |');
  console.log('| --- | --- |');
  console.log(`| ${sinks[0][0]} | ${base.toFixed(2)} |`);
  console.log(`| ${sinks[1][0]} | ${withIngest.toFixed(2)} |`);
  console.log(`\nfolding in: ${(withIngest - base).toFixed(2)} µs per execution\n`);
  return withIngest - base;
}

async function main() {
  const foldUs = await foldInCost();
  const servers = [];
  for (const [name, mode] of [
    ['analytics off (baseline)', 'off'],
    ['analytics on', 'on'],
  ]) {
    const s = spawnChild(self, ['server', mode]);
    const { url } = await s.next();
    servers.push({ name, url, s, runs: [] });
  }
  for (const srv of servers) await load(srv.url, WARMUP_S);
  for (let round = 0; round < ROUNDS; round++) {
    for (const srv of round % 2 ? [...servers].reverse() : servers) {
      const a = await srv.s.ask('cpu');
      const r = await load(srv.url, DURATION_S);
      const b = await srv.s.ask('cpu');
      srv.runs.push({ ...r, cpuUs: (b.cpu - a.cpu) / Math.max(1, r.total) });
    }
  }
  const rows = servers.map((srv) => ({
    name: srv.name,
    rps: median(srv.runs.map((r) => r.rps)),
    p50: median(srv.runs.map((r) => r.p50)),
    p99: median(srv.runs.map((r) => r.p99)),
    cpuUs: median(srv.runs.map((r) => r.cpuUs)),
    cpuAll: srv.runs.map((r) => Math.round(r.cpuUs)).join(', '),
    errors: srv.runs.reduce((s, r) => s + r.errors, 0),
    total: srv.runs.reduce((s, r) => s + r.total, 0),
  }));
  const [off, on] = rows;
  // Rounds alternate, so each "on" round has an "off" neighbour under about the same outside load.
  const paired = median(servers[1].runs.map((r, i) => r.cpuUs / servers[0].runs[i].cpuUs));
  console.log(
    `### Webhook with analytics off vs on (SQLite, ${CONNECTIONS} connections, median of ${ROUNDS} alternating rounds of ${DURATION_S} s)\n`,
  );
  console.log(
    '| scenario | req/s | p50 ms | p99 ms | errors | CPU µs/req (median) | CPU µs/req per round | vs baseline |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} | ${Math.round(r.cpuUs)} | ${r.cpuAll} | ${(r.cpuUs / off.cpuUs).toFixed(3)}x CPU, ${(r.rps / off.rps).toFixed(3)}x req/s |`,
    );
  }
  const report = await servers[1].s.ask('report');
  const extra = (paired - 1) * 100;
  console.log(
    `folding in (table above) is ${((foldUs / off.cpuUs) * 100).toFixed(2)}% of the baseline's ${Math.round(off.cpuUs)} µs CPU per request`,
  );
  console.log(`\npaired CPU ratio on/off (median over rounds of each round's ratio): ${paired.toFixed(3)}x`);
  console.log(
    `\nanalytics host: ${on.total.toLocaleString('en')} requests -> ${report.partials} partial bucket rows, realtime last minute ${report.lastMinuteRuns} runs, dropped ${report.dropped}, late ${report.late}`,
  );
  console.log(
    `target: <= 5% extra CPU per request, paired (${extra <= 5 ? 'met' : 'MISSED'}: ${extra.toFixed(1)}%), <= 5% fewer req/s (${on.rps >= 0.95 * off.rps ? 'met' : 'MISSED'}: ${((1 - on.rps / off.rps) * 100).toFixed(1)}%)`,
  );
  for (const srv of servers) srv.s.child.send('close');
}
