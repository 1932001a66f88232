// Throughput of the 5-node reference workflow (trigger -> set with expressions -> if -> code -> set)
// on the engine with in-memory ports, beside the same logic as plain JavaScript functions in the
// same run. Run with `npm run bench -- workflow`.
import { readFileSync } from 'node:fs';
import { InterpreterSandbox, MemoryExecutionStore, WorkflowEngine } from '@weft/engine';
import { IsolateSandbox } from '../dist/index.js';

const workflow = JSON.parse(
  readFileSync(new URL('../../../examples/workflows/order-total.json', import.meta.url), 'utf8'),
);
const order = {
  customer: 'ada',
  lines: [
    { price: 40, qty: 2 },
    { price: 12.5, qty: 4 },
  ],
};
const input = [{ json: order }];

// The same logic as plain functions: what a hand-written handler would do.
function plain(items) {
  const prepared = items.map((i) => ({
    json: {
      ...i.json,
      customer: i.json.customer.charAt(0).toUpperCase() + i.json.customer.slice(1),
      subtotal: i.json.lines.map((l) => l.price * l.qty).reduce((a, b) => a + b, 0),
    },
  }));
  const large = prepared.filter((i) => i.json.subtotal >= 100);
  const discounted = large.map((i) => {
    const discount = Math.round(i.json.subtotal * 0.1 * 100) / 100;
    return { json: { ...i.json, discount, total: i.json.subtotal - discount } };
  });
  return discounted.map((i) => ({
    json: { ...i.json, message: `${i.json.customer} pays ${i.json.total} (saved ${i.json.discount})` },
  }));
}

async function measure(label, run, { seconds = 3, concurrency = 1 } = {}) {
  for (let i = 0; i < 500; i++) await run();
  globalThis.gc?.();
  const latencies = [];
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  async function lane() {
    while (performance.now() < end) {
      const t = performance.now();
      await run();
      latencies.push(performance.now() - t);
      done++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { label, concurrency, perSecond: done / elapsed, p50: q(0.5), p99: q(0.99) };
}

const expected = JSON.stringify(plain(input));
function engineWith(sandbox) {
  const engine = new WorkflowEngine({ sandbox, executions: new MemoryExecutionStore({ maxFinished: 1000 }) });
  return async () => {
    const r = await engine.execute(workflow, { input });
    if (r.status !== 'succeeded') throw new Error(`run failed: ${r.error?.message}`);
    return r;
  };
}

const isolate = new IsolateSandbox({ size: 2 });
await isolate.warmUp(2, 64);
const viaIsolate = engineWith(isolate);
const check = JSON.stringify((await viaIsolate()).output);
if (check !== expected) throw new Error(`engine and baseline disagree:\n${check}\n${expected}`);

const rows = [
  await measure('baseline: plain JS functions', async () => plain(input)),
  await measure('weft, isolate sandbox', viaIsolate),
  await measure('weft, isolate sandbox', viaIsolate, { concurrency: 32 }),
  await measure('weft, interpreter sandbox', engineWith(new InterpreterSandbox())),
];
await isolate.close();

const base = rows[0].perSecond;
console.log('5-node workflow, in-memory ports, one process (every expression and the code node in the sandbox)\n');
console.log('| run | concurrency | executions/s | p50 latency | p99 latency | vs baseline |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.concurrency} | ${Math.round(r.perSecond).toLocaleString('en')} | ${(r.p50 * 1000).toFixed(1)} µs | ${(r.p99 * 1000).toFixed(1)} µs | ${(r.perSecond / base).toFixed(3)}x |`,
  );
}
console.log('\ntarget: >= 10,000 executions/s for the isolate-sandbox run');
