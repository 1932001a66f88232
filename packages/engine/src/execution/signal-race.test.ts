import { describe, expect, it } from 'vitest';
import { EngineError, MemoryExecutionStore, MemoryWorkflowStore, WorkflowEngine } from '../index.js';
import { T, wf } from '../test-utils.js';

describe('signal', () => {
  it('of 20 concurrent signals delivers exactly one; the others get INVALID_STATE', async () => {
    const workflows = new MemoryWorkflowStore();
    const executions = new MemoryExecutionStore();
    const approval = wf(
      [T, { name: 'Approve', type: 'weft.approval', parameters: {} }, { name: 'After', type: 'weft.noOp' }],
      ['T -> Approve', 'Approve:approved -> After', 'Approve:rejected -> After'],
    );
    const engines = [new WorkflowEngine({ workflows, executions }), new WorkflowEngine({ workflows, executions })];
    const stored = await workflows.save('default', { ...approval, id: 'approval' });
    const parked = await engines[0]?.execute({ ...stored.workflow, id: stored.id, version: stored.version });
    expect(parked?.status).toBe('waiting');
    const id = parked?.executionId as string;
    const answers = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        engines[i % 2]?.signal(id, { approved: i % 3 === 0 }, { workspaceId: 'default' }),
      ),
    );
    const delivered = answers.filter((a) => a.status === 'fulfilled');
    expect(delivered).toHaveLength(1);
    for (const a of answers.filter((x) => x.status === 'rejected')) {
      expect(a.reason).toBeInstanceOf(EngineError);
      expect((a.reason as EngineError).code).toBe('INVALID_STATE');
    }
    const runs = await executions.listNodeRuns(id);
    expect(runs.filter((r) => r.nodeName === 'After')).toHaveLength(1);
    await expect(engines[0]?.signal(id, { approved: true }, { workspaceId: 'default' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });
});
