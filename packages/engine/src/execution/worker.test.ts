import { describe, expect, it } from 'vitest';
import {
  builtinNodeTypes,
  defineNodeType,
  MemoryWorkflowStore,
  NodeRegistry,
  Worker,
  WorkflowEngine,
} from '../index.js';
import { items, T, wf } from '../test-utils.js';

async function until(check: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const hang = defineNodeType({
  type: 'test.hang',
  version: 1,
  displayName: 'Hang',
  description: 'never finishes',
  group: 'action',
  docs: '',
  parameters: {},
  execute: () => new Promise(() => {}),
});

describe('Worker', () => {
  it('runs queued executions and resumes parked ones when due', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({ workflows });
    await workflows.save('ws', {
      ...wf(
        [
          T,
          { name: 'Wait', type: 'weft.wait', parameters: { amount: 0.05, unit: 'seconds' } },
          { name: 'S', type: 'weft.set', parameters: { fields: [{ name: 'ok', value: '{{ true }}' }] } },
        ],
        ['T -> Wait', 'Wait -> S'],
      ),
      id: 'wf',
    });
    const ids = await Promise.all([1, 2, 3].map((n) => engine.enqueue('ws', 'wf', { input: items({ n }) })));
    const worker = new Worker({ engine, concurrency: 2, idleWaitMs: 10 });
    worker.start();
    await until(async () => {
      const all = await Promise.all(ids.map((i) => engine.executions.get('ws', i.executionId)));
      return all.every((r) => r?.status === 'succeeded');
    });
    await worker.stop();
    const r = await engine.executions.get('ws', ids[2]!.executionId);
    expect(r?.output?.main).toEqual([{ json: { n: 3, ok: true } }]);
    expect(await engine.queue.stats()).toMatchObject({ ready: 0, delayed: 0, running: 0 });
  });

  it('a duplicate enqueue with the same idempotency key creates nothing', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({ workflows });
    await workflows.save('ws', { ...wf([T]), id: 'wf' });
    const a = await engine.enqueue('ws', 'wf', { idempotencyKey: 'k' });
    const b = await engine.enqueue('ws', 'wf', { idempotencyKey: 'k' });
    expect(b).toEqual({ executionId: a.executionId, duplicate: true });
    expect((await engine.queue.stats()).ready).toBe(1);
  });

  it('picks up an execution whose worker died once its lease lapses, from the last checkpoint', async () => {
    const workflows = new MemoryWorkflowStore();
    const registry = new NodeRegistry().register(...builtinNodeTypes, hang);
    const engine = new WorkflowEngine({ workflows, registry });
    await workflows.save('ws', {
      ...wf([T, { name: 'A', type: 'weft.noOp' }, { name: 'B', type: 'weft.noOp' }], ['T -> A', 'A -> B']),
      id: 'wf',
    });
    const { executionId } = await engine.enqueue('ws', 'wf');
    // a worker claims the job, writes two checkpoints, then dies without acking
    const [claimed] = await engine.queue.claim({ workerId: 'dead', leaseMs: 50, max: 1 });
    expect(claimed?.job.executionId).toBe(executionId);
    await engine.executions.update(executionId, { status: 'running' });
    await engine.executions.checkpoint(executionId, [
      {
        executionId,
        seq: 0,
        nodeId: 'T',
        nodeName: 'T',
        runIndex: 0,
        status: 'succeeded',
        attempts: 1,
        startedAt: 0,
        finishedAt: 0,
        output: { main: [{ json: { from: 'dead worker' } }] },
      },
    ]);
    const started: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:started' && started.push(e.nodeName));
    const worker = new Worker({ engine, idleWaitMs: 10, leaseMs: 1000 });
    worker.start();
    await until(async () => (await engine.executions.get('ws', executionId))?.status === 'succeeded');
    await worker.stop();
    expect(started).toEqual(['A', 'B']);
    expect((await engine.executions.get('ws', executionId))?.output?.main).toEqual([{ json: { from: 'dead worker' } }]);
  });

  it('stop without draining interrupts jobs and leaves them resumable', async () => {
    const workflows = new MemoryWorkflowStore();
    const registry = new NodeRegistry().register(...builtinNodeTypes, hang);
    const engine = new WorkflowEngine({ workflows, registry });
    await workflows.save('ws', { ...wf([T, { name: 'H', type: 'test.hang' }], ['T -> H']), id: 'wf' });
    const { executionId } = await engine.enqueue('ws', 'wf');
    const worker = new Worker({ engine, idleWaitMs: 10 });
    worker.start();
    await until(async () => worker.activeCount === 1);
    await worker.stop({ drain: false });
    expect((await engine.executions.get('ws', executionId))?.status).toBe('running');
    expect((await engine.queue.stats()).ready).toBe(1);
  });
});
