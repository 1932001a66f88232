import { describe, expect, it } from 'vitest';
import {
  builtinNodeTypes,
  defineNodeType,
  MemoryWorkflowStore,
  NodeRegistry,
  param,
  WorkflowEngine,
} from '../index.js';
import { items, T, wf } from '../test-utils.js';

const counts: Record<string, number> = {};
const counted = defineNodeType({
  type: 'test.counted',
  version: 1,
  displayName: 'Counted',
  description: 'counts its runs; fails while failUntil > runs',
  group: 'action',
  docs: '',
  parameters: { failUntil: param.number({ label: 'Fail until', default: 0 }) },
  execute: ({ node, inputs, params }) => {
    counts[node.name] = (counts[node.name] ?? 0) + 1;
    if ((counts[node.name] ?? 0) <= (params.failUntil ?? 0)) throw new Error(`${node.name} failed`);
    return {
      outputs: { main: (inputs.main ?? []).map((i) => ({ json: { ...i.json, [node.name]: counts[node.name] ?? 0 } })) },
    };
  },
});

describe('rerun', () => {
  it('retries from the failed node, reusing what ran before it, as a new execution', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({
      workflows,
      registry: new NodeRegistry().register(...builtinNodeTypes, counted),
    });
    const stored = await workflows.save('ws', {
      ...wf(
        [
          T,
          { name: 'A', type: 'test.counted' },
          { name: 'B', type: 'test.counted', parameters: { failUntil: 1 } },
          { name: 'C', type: 'test.counted' },
        ],
        ['T -> A', 'A -> B', 'B -> C'],
      ),
      id: 'wf',
    });
    const first = await engine.execute(stored.workflow, { workspaceId: 'ws', input: items({ x: 1 }) });
    expect(first.error?.message).toBe('B failed');
    const retry = await engine.rerun(first.executionId);
    expect(retry.status).toBe('succeeded');
    expect(retry.output).toEqual(items({ x: 1, A: 1, B: 2, C: 1 }));
    expect(counts).toEqual({ A: 1, B: 2, C: 1 });
    expect(await engine.executions.get('ws', retry.executionId)).toMatchObject({
      mode: 'retry',
      parentExecutionId: first.executionId,
    });

    const replay = await engine.rerun(retry.executionId, { fromNode: 'A' });
    expect(replay.output).toEqual(items({ x: 1, A: 2, B: 3, C: 2 }));
    await expect(engine.rerun(retry.executionId, { fromNode: 'Nope' })).rejects.toThrow(
      'Node "Nope" is not in workflow',
    );
  });
});
