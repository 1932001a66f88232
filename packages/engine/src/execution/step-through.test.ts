import { describe, expect, it } from 'vitest';
import { type ExecutionResult, WorkflowEngine } from '../index.js';
import { items, T, wf } from '../test-utils.js';

const cond = (left: string, operator: string, right?: string) => ({ left, operator, right });
const set = (name: string, value: string) => ({
  name,
  type: 'weft.set',
  parameters: { fields: [{ name, value }] },
});

const chain = wf([T, set('A', 'a'), set('B', 'b'), set('C', 'c')], ['T -> A', 'A -> B', 'B -> C']);

describe('step-through (stepLimit, breakpoints)', () => {
  it('parks before the first node with stepLimit 0, then runs exactly one node per resume until done', async () => {
    const engine = new WorkflowEngine();
    const paused = await engine.execute(chain, { mode: 'debug', stepLimit: 0, input: items({ x: 1 }) });
    expect(paused.status).toBe('waiting');
    expect(paused.wait).toEqual({ nodeId: 'T', kind: 'debug', next: ['T'] });
    expect(await engine.executions.listNodeRuns(paused.executionId)).toEqual([]);
    expect((await engine.executions.get(undefined, paused.executionId))?.wait?.kind).toBe('debug');

    const seen: string[] = [];
    let step: ExecutionResult = paused;
    for (let i = 0; i < 4; i++) {
      step = await engine.resume(paused.executionId, { workflow: chain, stepLimit: 1, recordInputs: true });
      const runs = await engine.executions.listNodeRuns(paused.executionId);
      expect(runs).toHaveLength(i + 1);
      seen.push((runs.at(-1) as { nodeName: string }).nodeName);
      if (i < 3) expect(step.wait?.next).toEqual([['A', 'B', 'C'][i]]);
    }
    expect(seen).toEqual(['T', 'A', 'B', 'C']);
    expect(step.status).toBe('succeeded');
    expect(step.output).toEqual(items({ x: 1, A: 'a', B: 'b', C: 'c' }));
    const runs = await engine.executions.listNodeRuns(paused.executionId);
    expect(runs.map((r) => r.input?.main)).toEqual([
      items({ x: 1 }),
      items({ x: 1 }),
      items({ x: 1, A: 'a' }),
      items({ x: 1, A: 'a', B: 'b' }),
    ]);
  });

  it('a plain resume after a pause runs to the end without pausing again', async () => {
    const engine = new WorkflowEngine();
    const paused = await engine.execute(chain, { stepLimit: 2 });
    expect(paused.wait?.nodeId).toBe('B');
    const done = await engine.resume(paused.executionId, { workflow: chain });
    expect(done.status).toBe('succeeded');
    expect((await engine.executions.listNodeRuns(paused.executionId)).map((r) => r.nodeName)).toEqual([
      'T',
      'A',
      'B',
      'C',
    ]);
  });

  it('parks before a breakpoint node (by name or id) and moves on from it when resumed', async () => {
    const engine = new WorkflowEngine();
    const hit = await engine.execute(chain, { breakpoints: ['B', 'C'] });
    expect(hit.wait).toEqual({ nodeId: 'B', kind: 'debug', next: ['B'] });
    const next = await engine.resume(hit.executionId, { workflow: chain, breakpoints: ['B', 'C'] });
    expect(next.wait?.nodeId).toBe('C');
    expect((await engine.executions.listNodeRuns(hit.executionId)).map((r) => r.nodeName)).toEqual(['T', 'A', 'B']);
    const end = await engine.resume(hit.executionId, { workflow: chain, breakpoints: ['B', 'C'] });
    expect(end.status).toBe('succeeded');
  });

  it('steps only the branch an if node took; the other branch never shows up as next', async () => {
    const engine = new WorkflowEngine();
    const branchy = wf(
      [
        T,
        { name: 'If', type: 'weft.if', parameters: { conditions: [cond('{{ $json.n }}', 'gt', '2')] } },
        set('Yes', 'y'),
        set('No', 'n'),
      ],
      ['T -> If', 'If:true -> Yes', 'If:false -> No'],
    );
    const paused = await engine.execute(branchy, { stepLimit: 0, input: items({ n: 1 }) });
    const nexts: (string[] | undefined)[] = [];
    let r = paused;
    while (r.status === 'waiting') {
      r = await engine.resume(paused.executionId, { workflow: branchy, stepLimit: 1 });
      nexts.push(r.wait?.next);
    }
    expect(nexts).toEqual([['If'], ['No'], undefined]);
    expect((await engine.executions.listNodeRuns(paused.executionId)).map((x) => x.nodeName)).toEqual([
      'T',
      'If',
      'No',
    ]);
    expect(r.output).toEqual(items({ n: 1, No: 'n' }));
  });

  it('uses pin data given on a later step', async () => {
    const engine = new WorkflowEngine();
    const paused = await engine.execute(chain, { stepLimit: 2 });
    const done = await engine.resume(paused.executionId, { workflow: chain, pinData: { B: items({ pinned: true }) } });
    expect(done.output).toEqual(items({ pinned: true, C: 'c' }));
  });

  it('lists every ready node in run order when a node fans out', async () => {
    const engine = new WorkflowEngine();
    const fan = wf([T, set('A', 'a'), set('B', 'b')], ['T -> A', 'T -> B']);
    const r = await engine.execute(fan, { stepLimit: 1 });
    expect(r.wait).toEqual({ nodeId: 'A', kind: 'debug', next: ['A', 'B'] });
    const s = await engine.resume(r.executionId, { workflow: fan, stepLimit: 1 });
    expect(s.wait?.next).toEqual(['B']);
  });
});
