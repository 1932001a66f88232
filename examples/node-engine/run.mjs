// Runs workflows from plain Node code — no host, no HTTP: the engine, the isolate sandbox and the
// SQLite adapter. Every node run is checkpointed in ./.weft/example.db; a wait node parks the
// execution durably and a worker resumes it.
//
//   node --no-node-snapshot run.mjs [database file]
import { Worker, WorkflowEngine } from '@weft/engine';
import { IsolateSandbox } from '@weft/sandbox';
import { createSqliteStorage } from '@weft/sqlite';

const storage = await createSqliteStorage({ filename: process.argv[2] ?? './.weft/example.db' });
const sandbox = new IsolateSandbox({ size: 1 });
const engine = new WorkflowEngine({
  sandbox,
  workflows: storage.workflows,
  executions: storage.executions,
  queue: storage.queue,
});

const invoice = {
  id: 'invoice-total',
  name: 'Invoice total',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'c',
      name: 'Total',
      type: 'weft.code',
      parameters: {
        mode: 'eachItem',
        code: 'return { ...$json, total: $arr.sum($json.lines.map((l) => l.price * l.qty)) };',
      },
    },
    { id: 'w', name: 'Cool off', type: 'weft.wait', parameters: { amount: 0.2, unit: 'seconds' } },
    {
      id: 's',
      name: 'Label',
      type: 'weft.set',
      parameters: { fields: [{ name: 'label', value: 'Invoice {{ $json.number }}: {{ $json.total }} EUR' }] },
    },
  ],
  connections: [
    { source: 't', target: 'c' },
    { source: 'c', target: 'w' },
    { source: 'w', target: 's' },
  ],
};

// 1. Run an inline workflow directly and wait for the result.
const direct = await engine.execute(
  {
    ...invoice,
    nodes: invoice.nodes.filter((n) => n.id !== 'w'),
    connections: [
      { source: 't', target: 'c' },
      { source: 'c', target: 's' },
    ],
  },
  { input: [{ json: { number: 7, lines: [{ price: 10, qty: 3 }] } }] },
);
console.log(`direct run: ${direct.status} -> ${direct.output[0].json.label}`);

// 2. Store the workflow, queue an execution and let a worker run it (the wait parks it durably).
await storage.workflows.save('default', invoice);
const { executionId } = await engine.enqueue('default', 'invoice-total', {
  input: [
    {
      json: {
        number: 8,
        lines: [
          { price: 12.5, qty: 2 },
          { price: 5, qty: 1 },
        ],
      },
    },
  ],
});
const worker = new Worker({ engine, idleWaitMs: 50 });
worker.start();
let record;
for (;;) {
  record = await storage.executions.get('default', executionId);
  if (record.status === 'succeeded' || record.status === 'failed') break;
  await new Promise((r) => setTimeout(r, 20));
}
await worker.stop();
const runs = await storage.executions.listNodeRuns(executionId);
console.log(`queued run: ${record.status} -> ${record.output.main[0].json.label}`);
console.log(`checkpoints: ${runs.map((r) => `${r.nodeName}:${r.status}`).join(', ')}`);

await sandbox.close();
await storage.close();
