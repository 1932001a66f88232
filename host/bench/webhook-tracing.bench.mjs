#!/usr/bin/env node
// What OpenTelemetry tracing costs the webhook path: the reference flow (webhook -> code -> if ->
// set -> respond, every execution persisted on SQLite) with tracing off (no OTEL_* variable: no
// SDK loaded), off again in a second process (the same-run noise floor), and on (OTLP/HTTP export
// of every span — server, execution, 5 nodes, database batches — to a receiver on loopback,
// protobuf as by default and JSON, and with one trace in ten sampled as recommended for busy
// production hosts), beside a bare Express handler doing the same computation. Each server is its
// own process and the load generator (autocannon, 50 keep-alive connections) another; scenarios
// alternate over rounds and each one's median is reported. Each round loads a server twice: as
// fast as it answers (req/s), then at one fixed rate that every server sustains, measuring the
// server's CPU per request until its batch processor has exported what the round ended, net of
// the server's idle CPU (timers, pollers) over the same time. At a fixed rate every server
// spreads the same background work over the same number of requests, so that figure survives a
// shared machine far better than req/s. Target: off costs nothing, on costs <= 10%.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, CONNECTIONS, checkOrderAnswer, cpuUs, load, median, pad, serveBare } from './bench-lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The batch span processor's default schedule delay is 5 s: wait that long for a round's spans to leave. */
const SETTLE_MS = 5500;
const self = new URL(import.meta.url).pathname;

if (process.argv[2] === 'spans') await spansProcess(process.argv[3], process.argv[4], process.argv[5] === 'als');
else if (process.argv[2] === 'serve') await serveProcess(process.argv[3]);
else await main();

/**
 * The span pipeline alone, in a process of its own: CPU per request for spans shaped like one
 * webhook's (server, execution, 5 nodes, each node run awaiting 20 promises), created, ended,
 * batched and exported to a loopback receiver. Independent of the HTTP load, so a busy machine
 * disturbs it less than the req/s comparison. Requests come in bursts of 20 with a 5 ms pause, so
 * the batch processor keeps up as on a busy server: a tight loop fills its queue and the
 * processor drops most spans, which would time a pipeline that exports a fraction of them (the
 * first version of this bench did); dropped spans are counted and reported. Protocol `none`
 * registers no SDK: the same loop's own cost, the baseline the others are net of. `discard` sets
 * the SDK up as startTracing does but drops every batch at the exporter, which splits creating
 * and batching spans from the OTLP export. `als` swaps in the AsyncLocalStorage context manager
 * that startTracing registered before ADR 0015.
 */
async function spansProcess(protocol, ratio, als) {
  if (ratio) {
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = ratio;
  }
  const { startTracing } = await import('../dist/index.js');
  const { startOtlpReceiver } = await import('../dist/testing/otlp-receiver.js');
  const { context, diag, DiagLogLevel, trace } = await import('@opentelemetry/api');
  let dropped = 0;
  const problems = [];
  const note = (...args) => {
    const message = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
    const m = /Dropped (\d+) spans/.exec(message);
    if (m) dropped += Number(m[1]);
    else problems.push(message);
  };
  diag.setLogger({ error: note, warn: note, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  const receiver = await startOtlpReceiver();
  const tracing =
    protocol === 'none'
      ? undefined
      : protocol === 'discard'
        ? await discardingTracing()
        : await startTracing({
            env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
          });
  if (als) {
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    context.disable();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  const tracer = trace.getTracer('bench');
  const requests = async (n) => {
    for (let i = 0; i < n; i++) {
      const server = tracer.startSpan('POST /hooks/{path}', {
        kind: 1,
        attributes: { 'http.request.method': 'POST', 'url.path': '/hooks/{path}', 'url.scheme': 'http' },
      });
      const sctx = trace.setSpan(context.active(), server);
      await context.with(sctx, async () => {
        const ex = tracer.startSpan(
          'weft.execution',
          {
            attributes: {
              'weft.execution.id': `e${i}`,
              'weft.workflow.id': 'bench',
              'weft.workflow.version': 1,
              'weft.execution.mode': 'webhook',
            },
          },
          sctx,
        );
        const ectx = trace.setSpan(sctx, ex);
        for (let j = 0; j < 5; j++) {
          // As the engine does: an execution whose span does not record (sampled out) makes no node spans.
          if (!ex.isRecording()) {
            for (let k = 0; k < 20; k++) await null;
            continue;
          }
          const node = tracer.startSpan(
            `weft.node N${j}`,
            { attributes: { 'weft.node.id': `n${j}`, 'weft.node.type': 'weft.set', 'weft.node.run_index': 0 } },
            ectx,
          );
          await context.with(trace.setSpan(ectx, node), async () => {
            for (let k = 0; k < 20; k++) await null;
          });
          node.setAttribute('weft.node.status', 'succeeded');
          node.end();
        }
        ex.setAttribute('weft.execution.status', 'succeeded');
        ex.end();
      });
      server.setAttribute('http.response.status_code', 200);
      server.end();
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
  };
  await requests(5000);
  await tracing?.flush();
  dropped = 0;
  const N = 20_000;
  const c0 = process.cpuUsage();
  await requests(N);
  await tracing?.flush();
  const c = process.cpuUsage(c0);
  await tracing?.shutdown();
  await receiver.close();
  process.send({ usPerRequest: (c.user + c.system) / N, dropped, problems: problems.slice(0, 3) });
}

/**
 * The SDK as startTracing sets it up (ids, context manager, batch processor), with an exporter
 * that drops each batch: what creating, ending and batching spans costs without the OTLP export.
 */
async function discardingTracing() {
  const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
  const { PooledIdGenerator } = await import('../dist/observability/tracing-id-generator.js');
  const { SynchronousContextManager } = await import('../dist/observability/synchronous-context-manager.js');
  const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter)],
    idGenerator: new PooledIdGenerator(),
  });
  provider.register({ contextManager: new SynchronousContextManager() });
  return { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

function spanPipelineCost(protocol, ratio, als = false) {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['spans', protocol, ratio ?? '', ...(als ? ['als'] : [])], { stdio: 'inherit' });
    child.once('message', resolve);
    child.once('error', reject);
  });
}

/** A server process: `bare` (Express) or `weft` (the host; tracing from its OTEL_* environment). */
async function serveProcess(kind) {
  let url;
  let close;
  if (kind === 'bare') {
    ({ url, close } = await serveBare());
  } else {
    const { createHost, loadConfig, orderWebhookWorkflow, startTracing } = await import('../dist/index.js');
    const tracing = await startTracing({ serviceName: 'weft-bench' });
    const dir = mkdtempSync(join(tmpdir(), 'weft-bench-otel-'));
    // Keys are generated on first start in the temporary data dir; the warnings would only add noise.
    const config = loadConfig(benchEnv(dir, { WEFT_LOG_LEVEL: 'error' }));
    const host = await createHost(config, { announce: () => {} });
    const base = await host.listen();
    const rt = host.runtime;
    const [ws] = await rt.identity.listWorkspaceIds();
    await rt.engine.workflows.save(ws, orderWebhookWorkflow('bench/orders', 'bench'));
    await rt.engine.workflows.setActive(ws, 'bench', true);
    await rt.webhooks.sync(ws, 'bench');
    url = `${base}/hooks/bench/orders`;
    close = async () => {
      await host.close();
      await tracing?.shutdown();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await checkOrderAnswer(url);
  // The bench process died without closing us (an error in main): do not serve on as an orphan.
  process.once('disconnect', () => process.exit(1));
  process.on('message', async (m) => {
    if (m === 'cpu') process.send({ cpu: cpuUs() });
    if (m === 'close') {
      await close();
      process.exit(0);
    }
  });
  process.send({ url });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function serve(kind, env) {
  const child = fork(self, ['serve', kind], {
    stdio: 'inherit',
    execArgv: ['--no-node-snapshot'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const { url } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { child, url };
}

function pct(x) {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

async function main() {
  const { startOtlpReceiver } = await import('../dist/testing/otlp-receiver.js');
  const receiver = await startOtlpReceiver();
  const otel = (protocol) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: 'weft-bench',
  });
  const scenarios = [
    { name: 'bare Express handler', ...(await serve('bare', {})) },
    { name: 'weft, tracing off', ...(await serve('weft', {})) },
    { name: 'weft, tracing off (2nd process)', ...(await serve('weft', {})) },
    { name: 'weft, on (OTLP protobuf)', ...(await serve('weft', otel('http/protobuf'))), protocol: 'protobuf' },
    { name: 'weft, on (OTLP JSON)', ...(await serve('weft', otel('http/json'))), protocol: 'json' },
    {
      name: 'weft, on, 10% sampled',
      ...(await serve('weft', {
        ...otel('http/protobuf'),
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      })),
      protocol: 'protobuf',
    },
  ];
  const warm = [];
  for (const s of scenarios) warm.push((await load(s.url, WARMUP_S)).rps);
  // Half of the slowest Weft server's warm-up rate (cold code, so already low): every server keeps up.
  const RATE = Number(process.env.BENCH_RATE ?? Math.max(10, Math.floor(Math.min(...warm.slice(1)) / 2)));
  // Each server's idle CPU per second (timers, pollers), measured while all are idle and taken
  // off its loaded windows, so a low fixed rate does not dilute what the requests cost.
  await new Promise((res) => setTimeout(res, SETTLE_MS)); // what the warm-up left (exports, GC) ends first
  const idle0 = await Promise.all(scenarios.map(async (s) => (await ask(s.child, 'cpu')).cpu));
  const t0 = performance.now();
  await new Promise((res) => setTimeout(res, SETTLE_MS));
  const idleUsPerMs = await Promise.all(
    scenarios.map(async (s, i) => ((await ask(s.child, 'cpu')).cpu - (idle0[i] ?? 0)) / (performance.now() - t0)),
  );
  const runs = scenarios.map(() => []);
  const exported = { protobuf: { requests: 0, bytes: 0 }, json: { requests: 0, bytes: 0, spans: 0 } };
  let jsonRequests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const r = await load(s.url, DURATION_S);
      // Everything the saturated round left in the batch processor leaves before the fixed-rate one.
      if (s.protocol) await new Promise((res) => setTimeout(res, SETTLE_MS));
      const before = { requests: receiver.requests.length, spans: receiver.spans.length };
      const cpu0 = (await ask(s.child, 'cpu')).cpu;
      const w0 = performance.now();
      const f = await load(s.url, DURATION_S, undefined, RATE);
      await new Promise((res) => setTimeout(res, SETTLE_MS));
      const cpu1 = (await ask(s.child, 'cpu')).cpu;
      const used = cpu1 - cpu0 - (idleUsPerMs[i] ?? 0) * (performance.now() - w0);
      runs[i].push({ ...r, fixedRps: f.rps, errors: r.errors + f.errors, cpuUs: used / Math.max(1, f.total) });
      if (s.protocol) {
        const sent = receiver.requests.slice(before.requests);
        const e = exported[s.protocol];
        e.requests += sent.length;
        e.bytes += sent.reduce((n, q) => n + q.bytes, 0);
        if (s.protocol === 'json') {
          e.spans += receiver.spans.length - before.spans;
          jsonRequests += f.total;
        }
      }
      receiver.spans.length = 0;
      receiver.requests.length = 0;
    }
  }
  const rows = scenarios.map((s, i) => ({
    name: s.name,
    rps: median(runs[i].map((r) => r.rps)),
    p50: median(runs[i].map((r) => r.p50)),
    p99: median(runs[i].map((r) => r.p99)),
    fixedRps: median(runs[i].map((r) => r.fixedRps)),
    cpuUs: median(runs[i].map((r) => r.cpuUs)),
    errors: runs[i].reduce((n, r) => n + r.errors, 0),
  }));
  const [bare, off, offAgain, ...on] = rows;
  console.log(
    `${pad('scenario', 33)}${pad('req/s', 8)}${pad('vs bare', 9)}${pad('vs off', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad(`at ${RATE}/s: req/s`, 18)}${pad('CPU µs/req', 12)}vs off`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.name, 33)}${pad(Math.round(r.rps), 8)}${pad(`${(r.rps / bare.rps).toFixed(2)}x`, 9)}${pad(r === bare ? '' : `${(r.rps / off.rps).toFixed(2)}x`, 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors, 8)}${pad(Math.round(r.fixedRps), 18)}${pad(Math.round(r.cpuUs), 12)}${r === bare ? '' : pct(r.cpuUs / off.cpuUs - 1)}`,
    );
  }
  console.log(
    `\nexported at the fixed rate: protobuf (both protobuf scenarios) ${exported.protobuf.requests} requests, ${(exported.protobuf.bytes / 1e6).toFixed(1)} MB; JSON ${exported.json.requests} requests, ${(exported.json.bytes / 1e6).toFixed(1)} MB, ${exported.json.spans} spans = ${(exported.json.spans / Math.max(1, jsonRequests)).toFixed(1)} spans per webhook request (${jsonRequests} requests)`,
  );
  console.log(
    `${CONNECTIONS} connections; median of ${ROUNDS} alternating rounds of ${DURATION_S} s as fast as answered, then ${DURATION_S} s at ${RATE} req/s (server CPU per request until exported, net of its idle CPU: ${idleUsPerMs.map((x) => Math.round(x * 1000)).join('/')} µs/s); each server in its own process`,
  );
  console.log(
    `noise floor: two identical tracing-off servers differ by ${pct(offAgain.rps / off.rps - 1)} req/s and ${pct(offAgain.cpuUs / off.cpuUs - 1)} CPU per request in this run`,
  );
  // Two identical servers must agree far better than the 10% the target allows before a verdict means anything.
  const floor = Math.max(Math.abs(offAgain.rps / off.rps - 1), Math.abs(offAgain.cpuUs / off.cpuUs - 1));
  const verdict = (cost) => (floor > 0.05 ? `undecided, noise floor ${pct(floor)}` : cost <= 0.1 ? 'met' : 'MISSED');
  for (const r of on) {
    const cost = 1 - r.rps / off.rps;
    const cpu = r.cpuUs / off.cpuUs - 1;
    console.log(
      `target ${r.name}: costs <= 10% (CPU per request at ${RATE}/s ${pct(cpu)}: ${verdict(cpu)}; req/s ${pct(-cost)}: ${verdict(cost)})`,
    );
  }
  const pipeline = [
    ['no SDK (the loop alone, baseline)', await spanPipelineCost('none')],
    ['SDK, every trace, export discarded', await spanPipelineCost('discard')],
    ['OTLP protobuf, every trace', await spanPipelineCost('http/protobuf')],
    ['OTLP JSON, every trace', await spanPipelineCost('http/json')],
    ['OTLP protobuf, 10% sampled', await spanPipelineCost('http/protobuf', '0.1')],
    ['protobuf, every trace, ALS context', await spanPipelineCost('http/protobuf', undefined, true)],
  ];
  const base = pipeline[0][1].usPerRequest;
  console.log(`\nspan pipeline alone, 20,000 requests of 7 spans each, in its own process:`);
  for (const [name, m] of pipeline) {
    const net = m.usPerRequest - base;
    console.log(
      `  ${pad(name, 36)}${pad(`${m.usPerRequest.toFixed(1)} µs/request`, 18)}${m === pipeline[0][1] ? '' : `net ${pad(`${net.toFixed(1)} µs`, 10)}= ${((net / off.cpuUs) * 100).toFixed(1)}% of off's CPU per request`}${m.dropped ? `; DROPPED ${m.dropped} spans` : ''}${m.problems.length ? `; ${m.problems.join('; ')}` : ''}`,
    );
  }
  const offNs = await offPathCost();
  console.log(
    `tracing off: no SDK module is loaded, no server span, no node spans; what is left per execution (one no-op span and context lookup) costs ${offNs.toFixed(0)} ns = ${((offNs / 1000 / off.cpuUs) * 100).toFixed(3)}% of off's ${Math.round(off.cpuUs)} µs CPU per request (target: nothing measurable)`,
  );
  for (const s of scenarios) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.send('close');
    await exited;
  }
  await receiver.close();
}

/** Nanoseconds per execution that the engine's tracing adds when no SDK is registered (this process has none). */
async function offPathCost() {
  const { traceExecution } = await import('@weft/engine');
  const record = { id: 'e', workspaceId: 'w', workflowId: 'f', workflowVersion: 1, mode: 'webhook' };
  const result = { executionId: 'e', status: 'succeeded', output: [], outputs: {} };
  const run = async () => result;
  const N = 200_000;
  const time = async (fn) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await fn();
    return Number(process.hrtime.bigint() - t0) / N;
  };
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const plain = await time(run);
    const traced = await time(() => traceExecution(record, undefined, false, run));
    samples.push(traced - plain);
  }
  return Math.max(0, samples.sort((a, b) => a - b)[2]);
}
