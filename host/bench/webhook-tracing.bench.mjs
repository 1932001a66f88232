#!/usr/bin/env node
// What OpenTelemetry tracing costs the webhook path: the reference flow (webhook -> code -> if ->
// set -> respond, every execution persisted on SQLite) with tracing off (no OTEL_* variable: no
// SDK loaded) and on (OTLP/HTTP export of every span — server, execution, 5 nodes, database
// batches — to a receiver on loopback, protobuf as by default and JSON, and with one trace in ten
// sampled as recommended for busy production hosts), beside a bare Express
// handler doing the same computation, in the same run. Each server is its own process and the
// load generator (autocannon, 50 keep-alive connections) another; scenarios alternate over rounds
// and each one's median is reported, with the server's CPU per request (less sensitive to a
// shared machine than req/s). Target: off costs nothing, on costs <= 10% of off's req/s.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, CONNECTIONS, checkOrderAnswer, cpuUs, load, median, pad, serveBare } from './bench-lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const self = new URL(import.meta.url).pathname;

if (process.argv[2] === 'spans') await spansProcess(process.argv[3], process.argv[4], process.argv[5] === 'als');
else if (process.argv[2] === 'serve') await serveProcess(process.argv[3]);
else await main();

/**
 * The span pipeline alone, in a process of its own: CPU per request for spans shaped like one
 * webhook's (server, execution, 5 nodes, each node run awaiting 20 promises), created, ended,
 * batched and exported to a loopback receiver. Independent of the HTTP load, so a busy machine
 * disturbs it less than the req/s comparison. `als` swaps in the AsyncLocalStorage context
 * manager that startTracing registered before ADR 0015, as the baseline of the same run.
 */
async function spansProcess(protocol, ratio, als) {
  if (ratio) {
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = ratio;
  }
  const { startTracing } = await import('../dist/index.js');
  const { startOtlpReceiver } = await import('../dist/testing/otlp-receiver.js');
  const { context, trace } = await import('@opentelemetry/api');
  const receiver = await startOtlpReceiver();
  const tracing = await startTracing({
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
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  await requests(5000);
  await tracing.flush();
  const N = 20_000;
  const c0 = process.cpuUsage();
  await requests(N);
  await tracing.flush();
  const c = process.cpuUsage(c0);
  await tracing.shutdown();
  await receiver.close();
  process.send({ usPerRequest: (c.user + c.system) / N });
}

function spanPipelineCost(protocol, ratio, als = false) {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['spans', protocol, ratio ?? '', ...(als ? ['als'] : [])], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m.usPerRequest));
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
    { name: 'weft, tracing on (OTLP protobuf)', ...(await serve('weft', otel('http/protobuf'))), protocol: 'protobuf' },
    { name: 'weft, tracing on (OTLP JSON)', ...(await serve('weft', otel('http/json'))), protocol: 'json' },
    {
      name: 'weft, tracing on, 10% sampled',
      ...(await serve('weft', {
        ...otel('http/protobuf'),
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      })),
      protocol: 'protobuf',
    },
  ];
  for (const s of scenarios) await load(s.url, WARMUP_S);
  const runs = scenarios.map(() => []);
  const exported = { protobuf: { requests: 0, bytes: 0 }, json: { requests: 0, bytes: 0, spans: 0 } };
  let jsonRequests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const before = { requests: receiver.requests.length, spans: receiver.spans.length };
      const cpu0 = (await ask(s.child, 'cpu')).cpu;
      const r = await load(s.url, DURATION_S);
      const cpu1 = (await ask(s.child, 'cpu')).cpu;
      runs[i].push({ ...r, cpuUs: (cpu1 - cpu0) / Math.max(1, r.total) });
      if (s.protocol) {
        // Give the batch processor its schedule delay to export what this round ended.
        await new Promise((res) => setTimeout(res, 5500));
        const sent = receiver.requests.slice(before.requests);
        const e = exported[s.protocol];
        e.requests += sent.length;
        e.bytes += sent.reduce((n, q) => n + q.bytes, 0);
        if (s.protocol === 'json') {
          e.spans += receiver.spans.length - before.spans;
          jsonRequests += r.total;
        }
        receiver.spans.length = 0;
      }
    }
  }
  const rows = scenarios.map((s, i) => ({
    name: s.name,
    rps: median(runs[i].map((r) => r.rps)),
    p50: median(runs[i].map((r) => r.p50)),
    p99: median(runs[i].map((r) => r.p99)),
    cpuUs: median(runs[i].map((r) => r.cpuUs)),
    errors: runs[i].reduce((n, r) => n + r.errors, 0),
  }));
  const [bare, off, ...on] = rows;
  console.log(
    `${pad('scenario', 36)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU µs/req', 12)}${pad('vs bare', 9)}vs off`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.name, 36)}${pad(Math.round(r.rps), 9)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors, 8)}${pad(Math.round(r.cpuUs), 12)}${pad(`${(r.rps / bare.rps).toFixed(2)}x`, 9)}${r === bare ? '' : `${(r.rps / off.rps).toFixed(2)}x`}`,
    );
  }
  console.log(
    `\nexported: protobuf (both protobuf scenarios) ${exported.protobuf.requests} requests, ${(exported.protobuf.bytes / 1e6).toFixed(1)} MB; JSON ${exported.json.requests} requests, ${(exported.json.bytes / 1e6).toFixed(1)} MB, ${exported.json.spans} spans = ${(exported.json.spans / Math.max(1, jsonRequests)).toFixed(1)} spans per webhook request (${jsonRequests} requests)`,
  );
  console.log(
    `${CONNECTIONS} connections, median of ${ROUNDS} alternating rounds of ${DURATION_S} s; each server in its own process`,
  );
  for (const r of on) {
    const cost = 1 - r.rps / off.rps;
    const cpu = r.cpuUs / off.cpuUs - 1;
    console.log(
      `target ${r.name}: costs <= 10% of req/s (${cost <= 0.1 ? 'met' : 'MISSED'}: ${(cost * 100).toFixed(1)}%); server CPU per request ${cpu >= 0 ? '+' : ''}${(cpu * 100).toFixed(1)}%`,
    );
  }
  const pipeline = [
    ['OTLP protobuf, every trace', await spanPipelineCost('http/protobuf')],
    ['OTLP JSON, every trace', await spanPipelineCost('http/json')],
    ['OTLP protobuf, 10% sampled', await spanPipelineCost('http/protobuf', '0.1')],
    ['protobuf, every trace, ALS context', await spanPipelineCost('http/protobuf', undefined, true)],
  ];
  console.log(`\nspan pipeline alone, 20,000 requests of 7 spans each, in its own process:`);
  for (const [name, us] of pipeline)
    console.log(
      `  ${pad(name, 30)}${pad(`${us.toFixed(1)} µs/request`, 18)}= ${((us / off.cpuUs) * 100).toFixed(1)}% of off's CPU per request`,
    );
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
