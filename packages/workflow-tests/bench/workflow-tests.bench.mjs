#!/usr/bin/env node
// @weft/workflow-tests benchmark: a suite of 100 cases on the reference webhook flow (the flow of
// host/src/workflows/example-workflows.ts and host/bench: webhook -> code total -> if -> set ->
// respond) against, as the baseline in the same run, 100 plain engine runs of the same flow with
// the same sandbox and concurrency. Target (issue 22): the suite runs in <= 1 s.
// Both on an isolate pool with one isolate per core, 8 at once; each measured REPEAT times after a
// warm-up, medians reported. `npm run bench -- workflow-tests` (after `npm run build`).
import { availableParallelism } from 'node:os';
import { builtinConnectors, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import { builtinNodeTypes, NodeRegistry, WorkflowEngine } from '@weft/engine';
import { IsolateSandbox } from '@weft/sandbox';
import { runTestSuite } from '../dist/index.js';

const CASES = 100;
const REPEAT = Number(process.env.WORKFLOW_TESTS_BENCH_REPEAT ?? 9);
const CONCURRENCY = 8;

const flow = {
  id: 'bench',
  name: 'Order webhook',
  nodes: [
    {
      id: 'hook',
      name: 'Order received',
      type: 'weft.webhook',
      position: [0, 0],
      parameters: { path: 'bench/orders', methods: ['POST'], responseMode: 'respondNode' },
    },
    {
      id: 'total',
      name: 'Compute total',
      type: 'weft.code',
      position: [220, 0],
      parameters: {
        mode: 'eachItem',
        code: 'const lines = $json.body?.lines ?? [];\nconst total = lines.reduce((s, l) => s + l.price * l.qty, 0);\nreturn { customer: $json.body?.customer ?? null, total };',
      },
    },
    {
      id: 'large',
      name: 'Large order?',
      type: 'weft.if',
      position: [440, 0],
      parameters: { conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: '100' }] },
    },
    {
      id: 'tag-large',
      name: 'Tag large',
      type: 'weft.set',
      position: [660, -80],
      parameters: { fields: [{ name: 'tier', value: 'large' }] },
    },
    {
      id: 'tag-small',
      name: 'Tag small',
      type: 'weft.set',
      position: [660, 80],
      parameters: { fields: [{ name: 'tier', value: 'small' }] },
    },
    {
      id: 'respond',
      name: 'Respond',
      type: 'weft.respondToWebhook',
      position: [880, 0],
      parameters: { respondWith: 'firstItem', statusCode: 200 },
    },
  ],
  connections: [
    { source: 'hook', target: 'total' },
    { source: 'total', target: 'large' },
    { source: 'large', sourcePort: 'true', target: 'tag-large' },
    { source: 'large', sourcePort: 'false', target: 'tag-small' },
    { source: 'tag-large', target: 'respond' },
    { source: 'tag-small', target: 'respond' },
  ],
};

const input = (i) => [
  { json: { body: { customer: `c${i}`, lines: [{ price: 10 + i, qty: 1 + (i % 5) }] }, headers: {}, query: {} } },
];
const totalOf = (i) => (10 + i) * (1 + (i % 5));
const cases = Array.from({ length: CASES }, (_, i) => {
  const large = totalOf(i) >= 100;
  const tag = large ? 'Tag large' : 'Tag small';
  return {
    name: `order ${i}`,
    input: input(i),
    assertions: [
      { kind: 'equals', node: 'Compute total', item: 0, path: 'total', value: totalOf(i) },
      { kind: 'route', node: 'Large order?', port: large ? 'true' : 'false' },
      { kind: 'path', nodes: ['Order received', 'Compute total', 'Large order?', tag, 'Respond'] },
      { kind: 'contains', node: 'Respond', value: [{ tier: large ? 'large' : 'small' }] },
      { kind: 'schema', node: 'Respond', item: 0, schema: { type: 'object', required: ['customer', 'total', 'tier'] } },
      { kind: 'expression', node: 'Respond', expression: '$json.total > 0' },
      { kind: 'itemCount', node: 'Respond', count: 1 },
    ],
  };
});

const registry = new NodeRegistry().register(
  ...builtinNodeTypes,
  ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, {})),
  respondToWebhookNode,
);
const sandbox = new IsolateSandbox({ size: Math.max(1, availableParallelism()) });

async function plainRuns() {
  const engine = new WorkflowEngine({ registry, sandbox });
  let next = 0;
  const worker = async () => {
    while (next < CASES) {
      const i = next++;
      const r = await engine.execute(flow, { input: input(i), mode: 'test' });
      if (r.status !== 'succeeded') throw new Error(`plain run ${i} ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function suiteRun() {
  const r = await runTestSuite(flow, { cases }, { registry, sandbox, concurrency: CONCURRENCY });
  if (r.status !== 'passed')
    throw new Error(`suite failed: ${JSON.stringify(r.cases.find((c) => c.status !== 'passed'))}`);
}

async function measure(fn) {
  await fn();
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const baseline = await measure(plainRuns);
const suite = await measure(suiteRun);
await sandbox.close();
const ms = (x) => `${x.toFixed(1)} ms`;
console.log(
  `${CASES} cases (7 assertions each) on the reference webhook flow, ${availableParallelism()} cores, isolate pool of ${availableParallelism()}, ${CONCURRENCY} at once, median of ${REPEAT}\n`,
);
const rows = [
  ['what', 'median', 'per case', 'vs baseline'],
  [`baseline: ${CASES} plain engine runs`, ms(baseline), ms(baseline / CASES), '1.00x'],
  [`suite: ${CASES} test cases`, ms(suite), ms(suite / CASES), `${(suite / baseline).toFixed(2)}x`],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r) => `| ${r.map((v, c) => v.padEnd(widths[c])).join(' | ')} |`;
console.log(line(rows[0]));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(`\ntarget: suite of ${CASES} cases <= 1000 ms: ${suite <= 1000 ? 'met' : 'NOT met'}`);
