// Per-call cost of the isolate sandbox against a plain-JS baseline doing the same work.
// Run with `npm run bench -- code-node` (node --no-node-snapshot --expose-gc, after a build).
import { buildCodeProgram, buildExpressionProgram, decodeProgramResult, EXPRESSION_RUNTIME_SOURCE } from '@weft/engine';
import { IsolateSandbox } from '../dist/index.js';

const data = {
  items: [{ json: { price: 12.5, qty: 3, title: 'Blue Widget', tags: ['a', 'b'] } }],
  nodes: { Fetch: [{ json: { status: 200 } }] },
  execution: { id: 'exec-1', mode: 'manual' },
  workflow: { id: 'wf-1', name: 'Orders' },
  env: { REGION: 'eu' },
  now: Date.UTC(2024, 0, 1),
  runIndex: 0,
};
const limits = { timeoutMs: 1000, memoryMb: 64 };
const expression = buildExpressionProgram(['$json.price * $json.qty', '$str.slug($json.title)']);
const code = buildCodeProgram(
  'return $input.all().map((i) => ({ total: i.json.price * i.json.qty, slug: $str.slug(i.json.title) }));',
  'allItems',
);
const evaluateRequest = { program: expression, data, itemCount: 1, limits, label: 'Set' };
const codeRequest = { program: code, data, limits, label: 'Code' };

async function measure(iterations, fn) {
  for (let i = 0; i < Math.min(2000, iterations); i++) await fn();
  globalThis.gc?.();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  samples.sort();
  return { median: samples[iterations >> 1], p99: samples[Math.floor(iterations * 0.99)] };
}

// (d) The same programs as plain functions in this process: same JSON in, same JSON out, no isolate.
const hostWeft = new Function(`${EXPRESSION_RUNTIME_SOURCE}\nreturn __weft;`)();
const plainExpression = new Function('__weft', `return ${expression.source}`)(hostWeft);
const plainCode = new Function('__weft', `return ${code.source}`)(hostWeft);
const baselineExpression = () => decodeProgramResult(plainExpression(JSON.stringify(data), 1), 'Set');
const baselineCode = async () => decodeProgramResult(await plainCode(JSON.stringify(data)), 'Code');

const sync = new IsolateSandbox({ size: 2 });
const async_ = new IsolateSandbox({ size: 2, dispatch: 'async' });
await sync.warmUp(2, limits.memoryMb);
await async_.warmUp(2, limits.memoryMb);
const check = JSON.stringify(await sync.runCode(codeRequest));
if (check !== JSON.stringify({ items: [{ json: await baselineCode().then((r) => r.items[0].json) }], logs: [] }))
  throw new Error(`sandbox and baseline disagree: ${check}`);

const N = 20_000;
const rows = [
  ['(d) baseline: plain JS expression program', await measure(N, baselineExpression)],
  ['(d) baseline: plain JS code program', await measure(N, baselineCode)],
  ['(a) expression, warm pool, sync dispatch', await measure(N, () => sync.evaluate(evaluateRequest))],
  ['(b) code node, warm pool, sync dispatch', await measure(N, () => sync.runCode(codeRequest))],
  ['(a) expression, warm pool, async dispatch', await measure(N / 4, () => async_.evaluate(evaluateRequest))],
  ['(b) code node, warm pool, async dispatch', await measure(N / 4, () => async_.runCode(codeRequest))],
  [
    '(c) cold: new isolate+context+runtime+compile+run+dispose',
    await measure(300, async () => {
      const cold = new IsolateSandbox({ size: 1 });
      await cold.runCode(codeRequest);
      await cold.close();
    }),
  ],
];
await sync.close();
await async_.close();

const base = { expression: rows[0][1].median, code: rows[1][1].median };
const fmt = (n) => (n >= 1000 ? `${(n / 1000).toFixed(2)} ms` : `${n.toFixed(2)} µs`);
console.log('| case | median | p99 | median / baseline | overhead vs baseline |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, { median, p99 }] of rows) {
  const b = name.includes('expression') ? base.expression : base.code;
  console.log(`| ${name} | ${fmt(median)} | ${fmt(p99)} | ${(median / b).toFixed(1)}x | ${fmt(median - b)} |`);
}

// Throughput: a 5-node workflow makes about 4 sandbox calls per execution (3 expressions, 1 code).
async function throughput(sandbox, concurrency, ms = 1500) {
  let calls = 0;
  const end = performance.now() + ms;
  const lane = async () => {
    while (performance.now() < end) {
      await sandbox.evaluate(evaluateRequest);
      await sandbox.evaluate(evaluateRequest);
      await sandbox.evaluate(evaluateRequest);
      await sandbox.runCode(codeRequest);
      calls += 4;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return calls / (ms / 1000);
}
const tSync = new IsolateSandbox({ size: 2 });
const tAsync = new IsolateSandbox({ size: 2, dispatch: 'async' });
await tAsync.warmUp(2, limits.memoryMb);
console.log('\n| throughput (4 calls = 1 execution) | calls/s | executions/s |');
console.log('|---|---:|---:|');
for (const [name, sandbox, concurrency] of [
  ['sync dispatch, 1 lane', tSync, 1],
  ['sync dispatch, 8 lanes', tSync, 8],
  ['async dispatch, 8 lanes', tAsync, 8],
]) {
  const rate = await throughput(sandbox, concurrency);
  console.log(`| ${name} | ${Math.round(rate).toLocaleString('en')} | ${Math.round(rate / 4).toLocaleString('en')} |`);
}
await tSync.close();
await tAsync.close();
