import { describe, expect, it } from 'vitest';
import {
  type Clock,
  type EnqueueOptions,
  MemoryExecutionStore,
  MemoryQueue,
  MemoryWorkflowStore,
  type QueueJob,
  WorkflowEngine,
} from '../index.js';
import { T, wf } from '../test-utils.js';

/** A queue whose process "dies" on the next enqueue: nothing of it is stored. */
class DyingQueue extends MemoryQueue {
  dying = false;
  override enqueue(job: QueueJob, options?: EnqueueOptions) {
    if (this.dying) return Promise.reject(new Error('killed before the job was enqueued'));
    return super.enqueue(job, options);
  }
}

const flow = {
  ...wf(
    [
      T,
      { name: 'Wait', type: 'weft.wait', parameters: { mode: 'duration', amount: 10, unit: 'seconds' } },
      { name: 'After', type: 'weft.noOp' },
    ],
    ['T -> Wait', 'Wait -> After'],
  ),
  id: 'wf1',
};

/** Two "processes" over the same stores and queue; the first one dies right after parking. */
async function parkedWithoutJob() {
  let now = 1_800_000_000_000;
  const clock: Clock = { now: () => now, sleep: async () => {} };
  const workflows = new MemoryWorkflowStore();
  const executions = new MemoryExecutionStore();
  const queue = new DyingQueue({ clock });
  const stored = await workflows.save('default', flow);
  const dead = new WorkflowEngine({ workflows, executions, queue, clock });
  queue.dying = true;
  const { executionId } = await dead.enqueue('default', 'wf1', { version: stored.version }).catch(async () => {
    const [r] = (await executions.list('default')).items;
    return { executionId: r?.id as string };
  });
  queue.dying = false;
  const process = () => new WorkflowEngine({ workflows, executions, queue, clock });
  return {
    executionId,
    executions,
    queue,
    process,
    advance: (ms: number) => {
      now += ms;
    },
    afterRuns: async () =>
      (await executions.listNodeRuns(executionId)).filter((r) => r.nodeName === 'After' && r.status === 'succeeded'),
  };
}

describe('recovery jobs', () => {
  it('gives a queued execution whose start job was lost its job, once', async () => {
    const t = await parkedWithoutJob();
    const engine = t.process();
    const record = await t.executions.get('default', t.executionId);
    expect(record?.status).toBe('queued');
    expect((await t.queue.stats()).ready).toBe(0);
    expect(await engine.ensureJob(record as never)).toBe(true);
    expect(await engine.ensureJob(record as never)).toBe(false);
    expect((await t.queue.stats()).ready).toBe(1);
  });

  it('gives a timer wait whose resume job was lost its job, and resumes it exactly once', async () => {
    const t = await parkedWithoutJob();
    const first = t.process();
    await first.ensureJob((await t.executions.get('default', t.executionId)) as never);
    const [start] = await t.queue.claim({ workerId: 'w', leaseMs: 60_000, max: 1 });
    t.queue.dying = true;
    await expect(first.runJob(start?.job as QueueJob)).rejects.toThrow('killed');
    t.queue.dying = false;
    const parked = await t.executions.get('default', t.executionId);
    expect(parked).toMatchObject({ status: 'waiting', wait: { kind: 'timer', nodeId: 'Wait' } });
    expect((await t.queue.stats()).delayed).toBe(0);

    const second = t.process();
    expect(await second.ensureJob(parked as never)).toBe(true);
    expect(await second.ensureJob(parked as never)).toBe(false);
    expect((await t.queue.stats()).delayed).toBe(1);
    t.advance(10_000);
    const [due] = await t.queue.claim({ workerId: 'w', leaseMs: 60_000, max: 1 });
    expect(due?.job).toMatchObject({ executionId: t.executionId, kind: 'resume' });
    const job = due?.job as QueueJob;
    // Three processes get the same job (a duplicate made by a racing sweep): one runs it.
    const results = await Promise.all([second.runJob(job), t.process().runJob(job), t.process().runJob(job)]);
    expect(results.filter((r) => r.status === 'succeeded' && !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
    expect(await t.afterRuns()).toHaveLength(1);
    expect((await t.executions.get('default', t.executionId))?.status).toBe('succeeded');
  });

  it('makes no stray job for an execution whose job finished after it was listed', async () => {
    const t = await parkedWithoutJob();
    const engine = t.process();
    await engine.ensureJob((await t.executions.get('default', t.executionId)) as never);
    const [start] = await t.queue.claim({ workerId: 'w', leaseMs: 60_000, max: 1 });
    await engine.runJob(start?.job as QueueJob);
    await t.queue.ack(start as never);
    const listed = await t.executions.get('default', t.executionId);
    expect(listed?.status).toBe('waiting');
    t.advance(10_000);
    const [due] = await t.queue.claim({ workerId: 'w', leaseMs: 60_000, max: 1 });
    expect((await engine.runJob(due?.job as QueueJob)).status).toBe('succeeded');
    await t.queue.ack(due as never);
    expect(await engine.ensureJob(listed as never)).toBe(false);
    expect(await t.queue.stats()).toMatchObject({ ready: 0, delayed: 0, running: 0 });
  });

  it('a job never answers a signal wait; resume() races leave one winner', async () => {
    const workflows = new MemoryWorkflowStore();
    const executions = new MemoryExecutionStore();
    const approval = wf(
      [T, { name: 'Approve', type: 'weft.approval', parameters: {} }, { name: 'After', type: 'weft.noOp' }],
      ['T -> Approve', 'Approve:approved -> After'],
    );
    const a = new WorkflowEngine({ workflows, executions });
    const b = new WorkflowEngine({ workflows, executions });
    const stored = await workflows.save('default', { ...approval, id: 'approval' });
    const parked = await a.execute({ ...stored.workflow, id: stored.id, version: stored.version });
    expect(parked.status).toBe('waiting');
    const stale = await b.runJob({ workspaceId: 'default', executionId: parked.executionId, kind: 'resume' });
    expect(stale).toMatchObject({ status: 'waiting', duplicate: true });
    const decisions = await Promise.all([
      a.signal(parked.executionId, { approved: true }, { workspaceId: 'default' }).catch((e: Error) => e.message),
      b.signal(parked.executionId, { approved: true }, { workspaceId: 'default' }).catch((e: Error) => e.message),
    ]);
    expect(decisions.filter((d) => typeof d !== 'string' && d.status === 'succeeded')).toHaveLength(1);
    const runs = await executions.listNodeRuns(parked.executionId);
    expect(runs.filter((r) => r.nodeName === 'After' && r.status === 'succeeded')).toHaveLength(1);
  });
});
