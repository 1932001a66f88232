#!/usr/bin/env node
// Webhook throughput of the reference flow (webhook -> code computing a total -> if -> set ->
// respond) with every execution persisted on SQLite, 50 concurrent keep-alive connections,
// measured beside a bare Express handler doing the same computation in the same run. The load
// generator (autocannon) runs in a second process so it does not share the server's event loop.
// Target: >= 0.5x the bare handler's requests/s and p99 <= 25 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, CONNECTIONS, cpuUs, load, median, pad, serveBare, setUpOrderWebhook } from './bench-lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

await main();

async function main() {
  const { createHost, loadConfig } = await import('../dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
  const host = await createHost(loadConfig(benchEnv(dir)), { announce: () => {} });
  const { url, ws } = await setUpOrderWebhook(await host.listen());
  const bare = await serveBare();

  // The machine may be shared: alternate the two scenarios over several rounds and take each
  // one's median, so a burst of outside load does not land on one side only.
  const scenarios = [
    ['bare Express handler', bare.url],
    ['weft webhook (SQLite, persisted)', url],
  ];
  for (const [, url] of scenarios) await load(url, WARMUP_S);
  const runs = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, url]] of scenarios.entries()) {
      // Server CPU per request: this process serves both scenarios, the load runs elsewhere, so
      // it is the cost of one request whatever else the machine is doing.
      const cpu0 = cpuUs();
      const r = await load(url, DURATION_S);
      runs[i].push({ ...r, cpuUs: (cpuUs() - cpu0) / Math.max(1, r.total) });
    }
  }
  const rows = scenarios.map(([name], i) => ({
    name,
    rps: median(runs[i].map((r) => r.rps)),
    p50: median(runs[i].map((r) => r.p50)),
    p99: median(runs[i].map((r) => r.p99)),
    cpuUs: median(runs[i].map((r) => r.cpuUs)),
    errors: runs[i].reduce((s, r) => s + r.errors, 0),
  }));
  const before = await host.runtime.executions.list(ws, { limit: 1 });
  const [baseline, weft] = rows;
  const ratio = weft.rps / baseline.rps;
  console.log(
    `${pad('scenario', 36)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('CPU µs/req', 12)}ratio`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.name, 36)}${pad(Math.round(r.rps), 10)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.errors, 8)}${pad(Math.round(r.cpuUs), 12)}${(r.rps / baseline.rps).toFixed(2)}x`,
    );
  }
  const persisted = await host.runtime.h.db
    .selectFrom('executions')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'succeeded')
    .executeTakeFirst();
  console.log(
    `\n${persisted.n} succeeded executions persisted (latest ${before.items[0]?.id ?? 'none'}); ${CONNECTIONS} connections, median of ${ROUNDS} alternating rounds of ${DURATION_S} s`,
  );
  console.log(
    `server CPU per request: weft ${Math.round(weft.cpuUs)} µs vs bare ${Math.round(baseline.cpuUs)} µs (${(baseline.cpuUs / weft.cpuUs).toFixed(2)}x the bare handler's requests per CPU-second)`,
  );
  console.log(
    `target: ratio >= 0.5x (${ratio >= 0.5 ? 'met' : 'MISSED'}: ${ratio.toFixed(2)}x), p99 <= 25 ms (${weft.p99 <= 25 ? 'met' : 'MISSED'}: ${weft.p99} ms)`,
  );
  await bare.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
}
