#!/usr/bin/env node
// A worker process for the kill -9 test (src/sqlite-kill9.test.ts): runs queued executions of the
// test workflow from a SQLite file. Every run of the `test.effect` node appends
// "<executionId> <nodeId> <pid>" to a log file before it finishes, so the test can see which side
// effects happened twice. Runs on the built packages (`tsc -b` first).
import { appendFileSync } from 'node:fs';
import { builtinNodeTypes, defineNodeType, NodeRegistry, Worker, WorkflowEngine } from '@weft/engine';
import { createSqliteStorage } from '../dist/index.js';

const [filename, logFile] = process.argv.slice(2);
const storage = await createSqliteStorage({ filename, pollIntervalMs: 50 });
const effect = defineNodeType({
  type: 'test.effect',
  version: 1,
  displayName: 'Effect',
  description: 'Appends a line to a log file, then takes a little while',
  group: 'action',
  docs: 'Test only.',
  parameters: {},
  sideEffects: 'once',
  async execute(ctx) {
    appendFileSync(logFile, `${ctx.execution.id} ${ctx.node.id} ${process.pid}\n`);
    await new Promise((r) => setTimeout(r, 15));
    return { outputs: { main: ctx.inputs.main ?? [] } };
  },
});
const registry = new NodeRegistry().register(...builtinNodeTypes, effect);
const engine = new WorkflowEngine({
  registry,
  workflows: storage.workflows,
  executions: storage.executions,
  queue: storage.queue,
});
const worker = new Worker({ engine, concurrency: 10, leaseMs: 1000, idleWaitMs: 100 });
worker.start();
console.log('ready');
process.on('SIGTERM', async () => {
  await worker.stop();
  await storage.close();
  process.exit(0);
});
