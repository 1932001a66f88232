import { describe, expect, it } from 'vitest';
import { type EngineEvent, ManualClock, MemoryWorkflowStore, WorkflowEngine } from '../../index.js';
import { items, T, wf } from '../../test-utils.js';

const jsons = (list: { json: unknown }[] | undefined) => (list ?? []).map((i) => i.json);
const cond = (left: string, operator: string, right?: string) => ({ left, operator, right });

describe('flow nodes', () => {
  it('if: routes each item; an output with no items skips its branch', async () => {
    const engine = new WorkflowEngine();
    const ran: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:executed' && ran.push(e.nodeName));
    const w = wf(
      [
        T,
        { name: 'If', type: 'weft.if', parameters: { conditions: [cond('{{ $json.n }}', 'gt', '2')] } },
        { name: 'Yes', type: 'weft.noOp' },
        { name: 'No', type: 'weft.noOp' },
      ],
      ['T -> If', 'If:true -> Yes', 'If:false -> No'],
    );
    const r = await engine.execute(w, { input: items({ n: 5 }, { n: 7 }) });
    expect(jsons(r.output)).toEqual([{ n: 5 }, { n: 7 }]);
    expect(ran).toEqual(['T', 'If', 'Yes']);
  });

  it('if/filter: every operator', async () => {
    const engine = new WorkflowEngine();
    const cases: [unknown, string, unknown, boolean][] = [
      [1, 'equals', '1', true],
      ['a', 'notEquals', 'b', true],
      [3, 'gte', 3, true],
      [2, 'lt', 1, false],
      ['hello', 'contains', 'ell', true],
      [['a', 'b'], 'contains', 'b', true],
      ['hello', 'notContains', 'z', true],
      ['hello', 'startsWith', 'he', true],
      ['hello', 'endsWith', 'lo', true],
      ['a1', 'matches', '^a\\d$', true],
      ['', 'isEmpty', null, true],
      [[], 'isNotEmpty', null, false],
      [true, 'isTrue', null, true],
      ['false', 'isFalse', null, true],
    ];
    for (const [left, operator, right, expected] of cases) {
      const w = wf(
        [
          T,
          {
            name: 'F',
            type: 'weft.filter',
            parameters: { conditions: [{ left: '{{ $json.l }}', operator, right: '{{ $json.r }}' }] },
          },
        ],
        ['T -> F'],
      );
      const r = await engine.execute(w, { input: items({ l: left, r: right }) });
      expect(r.output.length === 1, `${JSON.stringify(left)} ${operator} ${JSON.stringify(right)}`).toBe(expected);
    }
  });

  it('filter: any/all and discarded output', async () => {
    const engine = new WorkflowEngine();
    const w = wf(
      [
        T,
        {
          name: 'F',
          type: 'weft.filter',
          parameters: {
            combine: 'any',
            keepDiscarded: true,
            conditions: [cond('{{ $json.a }}', 'equals', '1'), cond('{{ $json.b }}', 'equals', '1')],
          },
        },
      ],
      ['T -> F'],
    );
    const r = await engine.execute(w, { input: items({ a: 1 }, { b: 1 }, { a: 0, b: 0 }) });
    expect(jsons(r.outputs.main)).toEqual([{ a: 1 }, { b: 1 }]);
    expect(jsons(r.outputs.discarded)).toEqual([{ a: 0, b: 0 }]);
  });

  it('switch: first matching route, all matches, fallback, expression mode', async () => {
    const engine = new WorkflowEngine();
    const routes = [
      { conditions: [cond('{{ $json.n }}', 'lt', '10')] },
      { conditions: [cond('{{ $json.n }}', 'lt', '100')] },
    ];
    const sw = (parameters: Record<string, unknown>) =>
      wf([T, { name: 'S', type: 'weft.switch', parameters }], ['T -> S']);
    const input = items({ n: 5 }, { n: 50 }, { n: 500 });
    let r = await engine.execute(sw({ routes, fallback: true }), { input });
    expect([jsons(r.outputs.route0), jsons(r.outputs.route1), jsons(r.outputs.fallback)]).toEqual([
      [{ n: 5 }],
      [{ n: 50 }],
      [{ n: 500 }],
    ]);
    r = await engine.execute(sw({ routes, allMatches: true }), { input });
    expect([jsons(r.outputs.route0), jsons(r.outputs.route1), r.outputs.fallback]).toEqual([
      [{ n: 5 }],
      [{ n: 5 }, { n: 50 }],
      undefined,
    ]);
    r = await engine.execute(sw({ mode: 'expression', outputs: 3, output: '{{ $json.n > 100 ? 2 : 0 }}' }), { input });
    expect([jsons(r.outputs.route0), jsons(r.outputs.route1), jsons(r.outputs.route2)]).toEqual([
      [{ n: 5 }, { n: 50 }],
      [],
      [{ n: 500 }],
    ]);
  });

  it('merge: fires once after every input settled, in every mode', async () => {
    const engine = new WorkflowEngine();
    const runs: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:executed' && runs.push(e.nodeName));
    const build = (parameters: Record<string, unknown>) =>
      wf(
        [
          T,
          {
            name: 'A',
            type: 'weft.set',
            parameters: {
              mode: 'replace',
              fields: [
                { name: 'id', value: '{{ $json.id }}' },
                { name: 'a', value: 'A{{ $json.id }}' },
              ],
            },
          },
          { name: 'Slow', type: 'weft.noOp' },
          {
            name: 'B',
            type: 'weft.set',
            parameters: {
              mode: 'replace',
              fields: [
                { name: 'id', value: '{{ $json.id }}' },
                { name: 'b', value: 'B{{ $json.id }}' },
              ],
            },
          },
          { name: 'M', type: 'weft.merge', parameters },
        ],
        ['T -> A', 'T -> Slow', 'Slow -> B', 'A -> M:input1', 'B -> M:input2'],
      );
    const input = items({ id: 1 }, { id: 2 });
    let r = await engine.execute(build({}), { input });
    expect(jsons(r.output)).toEqual([
      { id: 1, a: 'A1' },
      { id: 2, a: 'A2' },
      { id: 1, b: 'B1' },
      { id: 2, b: 'B2' },
    ]);
    expect(runs.filter((n) => n === 'M')).toHaveLength(1);
    expect(runs.indexOf('M')).toBeGreaterThan(runs.indexOf('B'));
    r = await engine.execute(build({ mode: 'byKey', key1: 'id', key2: 'id' }), { input });
    expect(jsons(r.output)).toEqual([
      { id: 1, a: 'A1', b: 'B1' },
      { id: 2, a: 'A2', b: 'B2' },
    ]);
    r = await engine.execute(build({ mode: 'byPosition' }), { input });
    expect(jsons(r.output)).toEqual([
      { id: 1, a: 'A1', b: 'B1' },
      { id: 2, a: 'A2', b: 'B2' },
    ]);
    r = await engine.execute(build({ mode: 'waitForAll', pass: 2 }), { input });
    expect(jsons(r.output)).toEqual([
      { id: 1, b: 'B1' },
      { id: 2, b: 'B2' },
    ]);
  });

  it('merge: an input that never delivers does not block it; waitForAll then outputs nothing', async () => {
    const engine = new WorkflowEngine();
    const build = (parameters: Record<string, unknown>) =>
      wf(
        [
          T,
          { name: 'If', type: 'weft.if', parameters: { conditions: [cond('{{ $json.go }}', 'isTrue')] } },
          { name: 'Other', type: 'weft.noOp' },
          { name: 'M', type: 'weft.merge', parameters },
          { name: 'After', type: 'weft.noOp' },
        ],
        ['T -> If', 'T -> Other', 'If:true -> M:input1', 'Other -> M:input2', 'M -> After'],
      );
    const r = await engine.execute(build({}), { input: items({ go: false }) });
    expect(jsons(r.output)).toEqual([{ go: false }]);
    const w = await engine.execute(build({ mode: 'waitForAll' }), { input: items({ go: false }) });
    expect(w.status).toBe('succeeded');
    expect(w.output).toEqual([]);
  });

  it('loop: the body runs per batch and done fires once with every result', async () => {
    const engine = new WorkflowEngine();
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const w = wf(
      [
        T,
        { name: 'Loop', type: 'weft.loop', parameters: { batchSize: 2 } },
        {
          name: 'Double',
          type: 'weft.set',
          parameters: {
            fields: [
              { name: 'd', value: '{{ $json.n * 2 }}' },
              { name: 'iteration', value: '{{ $runIndex }}' },
            ],
          },
        },
        { name: 'After', type: 'weft.noOp' },
      ],
      ['T -> Loop', 'Loop:loop -> Double', 'Double -> Loop:continue', 'Loop:done -> After'],
    );
    const r = await engine.execute(w, { input: items({ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }) });
    expect(r.status).toBe('succeeded');
    expect(jsons(r.output).map((j) => (j as { d: number }).d)).toEqual([2, 4, 6, 8, 10]);
    expect(jsons(r.output).map((j) => (j as { iteration: number }).iteration)).toEqual([0, 0, 1, 1, 2]);
    const runsOf = (name: string) => events.filter((e) => e.type === 'node:executed' && e.nodeName === name).length;
    expect(runsOf('Double')).toBe(3);
    expect(runsOf('After')).toBe(1);
    expect(runsOf('Loop')).toBe(4);
  });

  it('loop: a body branch that drops items still advances the loop', async () => {
    const engine = new WorkflowEngine();
    const w = wf(
      [
        T,
        { name: 'Loop', type: 'weft.loop' },
        { name: 'Odd', type: 'weft.filter', parameters: { conditions: [cond('{{ $json.n % 2 }}', 'equals', '1')] } },
        { name: 'After', type: 'weft.noOp' },
      ],
      ['T -> Loop', 'Loop:loop -> Odd', 'Odd -> Loop:continue', 'Loop:done -> After'],
    );
    const r = await engine.execute(w, { input: items({ n: 1 }, { n: 2 }, { n: 3 }) });
    expect(jsons(r.output)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('wait: parks durably as waiting and resumes when due', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const engine = new WorkflowEngine({ clock });
    const w = wf(
      [
        T,
        { name: 'Wait', type: 'weft.wait', parameters: { amount: 5, unit: 'minutes' } },
        { name: 'After', type: 'weft.noOp' },
      ],
      ['T -> Wait', 'Wait -> After'],
    );
    const r = await engine.execute(w, { input: items({ a: 1 }) });
    expect(r.status).toBe('waiting');
    expect(r.wait).toEqual({ nodeId: 'Wait', kind: 'timer', resumeAt: Date.UTC(2026, 0, 1) + 300_000 });
    expect((await engine.executions.get(undefined, r.executionId))?.status).toBe('waiting');
    const [job] = await engine.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 });
    expect(job).toBeUndefined();
    expect((await engine.resume(r.executionId, { workflow: w })).status).toBe('waiting');
    await clock.advance(300_000);
    const [due] = await engine.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 });
    expect(due?.job).toMatchObject({ executionId: r.executionId, kind: 'resume' });
    const done = await engine.resume(r.executionId, { workflow: w });
    expect(done.status).toBe('succeeded');
    expect(jsons(done.output)).toEqual([{ a: 1 }]);
  });

  it('approval: parks until a signal, then routes by the decision', async () => {
    const engine = new WorkflowEngine();
    const approvals: EngineEvent[] = [];
    engine.events$.subscribe((e) => e.type === 'approval:required' && approvals.push(e));
    const w = wf(
      [
        T,
        { name: 'Approve', type: 'weft.approval', parameters: { message: 'Refund {{ $json.amount }}?' } },
        { name: 'Yes', type: 'weft.noOp' },
        { name: 'No', type: 'weft.noOp' },
      ],
      ['T -> Approve', 'Approve:approved -> Yes', 'Approve:rejected -> No'],
    );
    const r = await engine.execute(w, { input: items({ amount: 30 }) });
    expect(r.status).toBe('waiting');
    expect(approvals[0]).toMatchObject({ type: 'approval:required', nodeName: 'Approve', message: 'Refund 30?' });
    await expect(engine.signal(r.executionId, { approved: 'yes' }, {})).rejects.toThrow(
      /NOT_FOUND|not found|workflow/i,
    );
    const done = await engine.resume(r.executionId, { workflow: w, payload: { approved: true, by: 'ann' } });
    expect(jsons(done.output)).toEqual([{ amount: 30, approval: { approved: true, by: 'ann' } }]);
  });

  it('execute workflow: runs a stored sub-workflow, per item or once; depth is limited', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({ workflows, limits: { maxSubWorkflowDepth: 3 } });
    await workflows.save('default', {
      ...wf(
        [
          { name: 'In', type: 'weft.subWorkflowTrigger' },
          { name: 'S', type: 'weft.set', parameters: { fields: [{ name: 'x', value: '{{ $json.n * 10 }}' }] } },
        ],
        ['In -> S'],
      ),
      id: 'child',
    });
    const parent = (mode: string) =>
      wf([T, { name: 'Call', type: 'weft.executeWorkflow', parameters: { workflowId: 'child', mode } }], ['T -> Call']);
    for (const mode of ['once', 'each']) {
      const r = await engine.execute(parent(mode), { input: items({ n: 1 }, { n: 2 }) });
      expect(jsons(r.output)).toEqual([
        { n: 1, x: 10 },
        { n: 2, x: 20 },
      ]);
    }
    await workflows.save('default', {
      ...wf(
        [
          { name: 'In', type: 'weft.subWorkflowTrigger' },
          { name: 'Again', type: 'weft.executeWorkflow', parameters: { workflowId: 'self' } },
        ],
        ['In -> Again'],
      ),
      id: 'self',
    });
    const r = await engine.execute(
      wf([T, { name: 'Call', type: 'weft.executeWorkflow', parameters: { workflowId: 'self' } }], ['T -> Call']),
    );
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('LIMIT_EXCEEDED');
    expect(r.error?.message).toContain('maxSubWorkflowDepth');
  });

  it('stop and error: fails the execution with its message', async () => {
    const r = await new WorkflowEngine().execute(
      wf(
        [T, { name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'bad order {{ $json.id }}' } }],
        ['T -> Stop'],
      ),
      { input: items({ id: 7 }) },
    );
    expect(r.error).toMatchObject({ code: 'STOPPED_BY_NODE', message: 'bad order 7', nodeName: 'Stop' });
  });

  it('code: all items and each item, with helpers, $() and console output', async () => {
    const engine = new WorkflowEngine();
    const all = wf(
      [
        T,
        {
          name: 'Code',
          type: 'weft.code',
          parameters: {
            code: 'console.log("n", items.length); return items.map(i => ({ v: i.json.v + 1, first: $("T").first().json.v }))',
          },
        },
      ],
      ['T -> Code'],
    );
    expect(jsons((await engine.execute(all, { input: items({ v: 1 }, { v: 2 }) })).output)).toEqual([
      { v: 2, first: 1 },
      { v: 3, first: 1 },
    ]);
    const each = wf(
      [
        T,
        { name: 'Code', type: 'weft.code', parameters: { mode: 'eachItem', code: 'return { s: $str.slug($json.t) }' } },
      ],
      ['T -> Code'],
    );
    expect(jsons((await engine.execute(each, { input: items({ t: 'Hello World' }) })).output)).toEqual([
      { s: 'hello-world' },
    ]);
    const bad = wf(
      [
        T,
        {
          name: 'Code',
          type: 'weft.code',
          parameters: { mode: 'eachItem', code: 'if ($json.v === 2) throw new Error("boom"); return $json' },
        },
      ],
      ['T -> Code'],
    );
    const r = await engine.execute(bad, { input: items({ v: 1 }, { v: 2 }) });
    expect(r.error?.message).toContain('boom');
    expect(r.error?.message).toContain('item 1');
  });
});
