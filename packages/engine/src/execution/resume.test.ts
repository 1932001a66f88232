import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Connection,
  type EngineEvent,
  type ExecutionPatch,
  type ExecutionStore,
  MemoryExecutionStore,
  type NodeRunRecord,
  type Workflow,
  WorkflowEngine,
  type WorkflowNode,
} from '../index.js';
import { items, T, wf } from '../test-utils.js';

/**
 * An execution store that "crashes the process" when asked to write checkpoint number `crashAt`
 * (nothing of that write is stored).
 */
class CrashingStore extends MemoryExecutionStore implements ExecutionStore {
  writes = 0;
  constructor(private readonly crashAt: number) {
    super();
  }
  override async checkpoint(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void> {
    if (++this.writes === this.crashAt) throw new Error('simulated crash');
    return super.checkpoint(executionId, runs, patch);
  }
}

/** Every node run written on its own, so a crash can hit each one. */
const unbuffered = { checkpoints: { maxRuns: 1 } };

/** A random DAG of set / if / merge / no-op nodes after one trigger, in topological order. */
const dagArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        kind: fc.constantFrom('set', 'if', 'merge', 'noOp'),
        parents: fc.uniqueArray(fc.integer({ min: 0, max: i }), { minLength: 1, maxLength: Math.min(3, i + 1) }),
        ports: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      }),
    ),
  ),
);

function buildDag(spec: { kind: string; parents: number[]; ports: boolean[] }[]): Workflow {
  const nodes: WorkflowNode[] = [{ id: 'n0', name: 'n0', type: 'weft.manualTrigger', parameters: {} }];
  const connections: Connection[] = [];
  spec.forEach((s, k) => {
    const id = `n${k + 1}`;
    const isMerge = s.kind === 'merge' && s.parents.length >= 2;
    const parameters: Record<string, unknown> =
      s.kind === 'set'
        ? { fields: [{ name: id, value: `{{ $json.v * ${k + 2} + ($json.${'n' + (k % 3)} ?? 0) }}` }] }
        : s.kind === 'if'
          ? { conditions: [{ left: `{{ ($json.v + ${k}) % 3 }}`, operator: 'notEquals', right: '0' }] }
          : isMerge
            ? { inputs: s.parents.length, mode: 'append' }
            : {};
    nodes.push({
      id,
      name: id,
      type: isMerge ? 'weft.merge' : s.kind === 'merge' ? 'weft.noOp' : `weft.${s.kind}`,
      parameters,
    });
    s.parents.forEach((p, j) => {
      const parent = nodes[p] as WorkflowNode;
      const sourcePort = parent.type === 'weft.if' ? (s.ports[j] ? 'true' : 'false') : 'main';
      connections.push({ source: parent.id, sourcePort, target: id, targetPort: isMerge ? `input${j + 1}` : 'main' });
    });
  });
  return { id: 'dag', name: 'dag', nodes, connections };
}

const input = items({ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 });

describe('executor properties (random DAGs)', () => {
  it('every node runs at most once, after all of its parents settled; skipped nodes received nothing', async () => {
    await fc.assert(
      fc.asyncProperty(dagArb, async (spec) => {
        const workflow = buildDag(spec);
        const engine = new WorkflowEngine();
        const executed: (EngineEvent & { type: 'node:executed' })[] = [];
        engine.events$.subscribe((e) => e.type === 'node:executed' && executed.push(e));
        const r = await engine.execute(workflow, { input });
        expect(r.status).toBe('succeeded');
        const order = executed.map((e) => e.nodeId);
        expect(new Set(order).size).toBe(order.length);
        const outCount = new Map(executed.map((e) => [e.nodeId, e.itemsOut]));
        for (const node of workflow.nodes.slice(1)) {
          const incoming = workflow.connections.filter((c) => c.target === node.id);
          const delivered = incoming.some((c) => (outCount.get(c.source)?.[c.sourcePort ?? 'main'] ?? 0) > 0);
          expect(order.includes(node.id), `${node.id} ran iff an input delivered`).toBe(delivered);
          if (!order.includes(node.id)) continue;
          for (const c of incoming) {
            if (order.includes(c.source)) expect(order.indexOf(c.source)).toBeLessThan(order.indexOf(node.id));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a run interrupted at any checkpoint and resumed gives the same output and log as an uninterrupted one', async () => {
    await fc.assert(
      fc.asyncProperty(dagArb, fc.integer({ min: 1, max: 12 }), async (spec, crashAt) => {
        const workflow = buildDag(spec);
        const reference = new WorkflowEngine();
        const expected = await reference.execute(workflow, { input, executionId: 'x' });
        const expectedLog = (await reference.executions.listNodeRuns('x')).map((r) => [r.nodeId, r.status, r.output]);

        const store = new CrashingStore(crashAt);
        const crashed = await new WorkflowEngine({ executions: store, ...unbuffered })
          .execute(workflow, { input, executionId: 'x' })
          .catch((e: Error) => e);
        if (!(crashed instanceof Error)) {
          expect(crashed.output).toEqual(expected.output);
          return;
        }
        expect(crashed.message).toBe('simulated crash');
        expect((await store.get(undefined, 'x'))?.status).toBe('running');
        const resumed = await new WorkflowEngine({ executions: store, ...unbuffered }).resume('x', { workflow });
        expect(resumed.status).toBe('succeeded');
        expect(resumed.output).toEqual(expected.output);
        expect((await store.listNodeRuns('x')).map((r) => [r.nodeId, r.status, r.output])).toEqual(expectedLog);
      }),
      { numRuns: 100 },
    );
  });

  it('resume does not re-run nodes whose checkpoint was written', async () => {
    const store = new CrashingStore(3);
    const workflow = wf([T, { name: 'A', type: 'weft.noOp' }, { name: 'B', type: 'weft.noOp' }], ['T -> A', 'A -> B']);
    await expect(
      new WorkflowEngine({ executions: store, ...unbuffered }).execute(workflow, { executionId: 'e' }),
    ).rejects.toThrow('simulated crash');
    const engine = new WorkflowEngine({ executions: store, ...unbuffered });
    const started: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:started' && started.push(e.nodeName));
    const r = await engine.resume('e', { workflow });
    expect(r.status).toBe('succeeded');
    expect(started).toEqual(['B']);
  });

  it('held checkpoints of pure nodes go with the final write; a crash there loses them whole and resume re-runs them', async () => {
    const workflow = wf(
      [
        T,
        { name: 'A', type: 'weft.noOp' },
        { name: 'B', type: 'weft.set', parameters: { fields: [{ name: 'b', value: '{{ $json.v * 2 }}' }] } },
      ],
      ['T -> A', 'A -> B'],
    );
    const store = new CrashingStore(1);
    await expect(
      new WorkflowEngine({ executions: store }).execute(workflow, { input: items({ v: 4 }), executionId: 'h' }),
    ).rejects.toThrow('simulated crash');
    // one write was due (all three runs and the status); it failed, so nothing of it is stored
    expect(store.writes).toBe(1);
    expect(await store.listNodeRuns('h')).toEqual([]);
    expect((await store.get(undefined, 'h'))?.status).toBe('running');
    const engine = new WorkflowEngine({ executions: store });
    const started: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:started' && started.push(e.nodeName));
    const r = await engine.resume('h', { workflow });
    expect(started).toEqual(['T', 'A', 'B']);
    expect(r.output).toEqual(items({ v: 4, b: 8 }));
    expect((await store.listNodeRuns('h')).map((x) => x.nodeName)).toEqual(['T', 'A', 'B']);
    expect(store.writes).toBe(2);
  });

  it('a node with side effects is durable before the run goes on; pure runs before it are written with it', async () => {
    const { builtinNodeTypes, defineNodeType, NodeRegistry } = await import('../index.js');
    const writesSeen: number[] = [];
    const store = new CrashingStore(0);
    const notify = defineNodeType({
      type: 'test.notify',
      version: 1,
      displayName: 'Notify',
      description: 'posts',
      group: 'action',
      docs: '',
      sideEffects: 'once',
      parameters: {},
      execute: ({ inputs }) => {
        writesSeen.push(store.writes);
        return { outputs: { main: inputs.main ?? [] } };
      },
    });
    const registry = new NodeRegistry().register(...builtinNodeTypes, notify);
    const workflow = wf(
      [
        T,
        { name: 'A', type: 'weft.noOp' },
        { name: 'Notify', type: 'test.notify' },
        { name: 'B', type: 'weft.noOp' },
        { name: 'C', type: 'weft.noOp' },
      ],
      ['T -> A', 'A -> Notify', 'Notify -> B', 'B -> C'],
    );
    const engine = new WorkflowEngine({ registry, executions: store });
    const ok = await engine.execute(workflow, { executionId: 'n' });
    expect(ok.status).toBe('succeeded');
    // nothing written before Notify ran; T, A and Notify in one write right after it; B, C with the status
    expect(writesSeen).toEqual([0]);
    expect(store.writes).toBe(2);
    expect((await store.listNodeRuns('n')).map((x) => x.nodeName)).toEqual(['T', 'A', 'Notify', 'B', 'C']);
  });

  it('a loop interrupted mid-iteration resumes where it stopped', async () => {
    const workflow = wf(
      [
        T,
        { name: 'Loop', type: 'weft.loop', parameters: { batchSize: 1 } },
        { name: 'Inc', type: 'weft.set', parameters: { fields: [{ name: 'v', value: '{{ $json.v + 1 }}' }] } },
        { name: 'Done', type: 'weft.noOp' },
      ],
      ['T -> Loop', 'Loop:loop -> Inc', 'Inc -> Loop:continue', 'Loop:done -> Done'],
    );
    for (let crashAt = 1; crashAt <= 9; crashAt++) {
      const store = new CrashingStore(crashAt);
      await new WorkflowEngine({ executions: store, ...unbuffered })
        .execute(workflow, { input: items({ v: 1 }, { v: 2 }, { v: 3 }), executionId: 'l' })
        .catch(() => {});
      const r = await new WorkflowEngine({ executions: store, ...unbuffered }).resume('l', { workflow });
      expect(r.output, `crash at ${crashAt}`).toEqual(items({ v: 2 }, { v: 3 }, { v: 4 }));
    }
  });
});

describe('side effects that must not repeat', () => {
  it('an at-most-once node cut off by a crash is not run again on resume', async () => {
    const { builtinNodeTypes, defineNodeType, NodeRegistry } = await import('../index.js');
    let charges = 0;
    const charge = defineNodeType({
      type: 'test.charge',
      version: 1,
      displayName: 'Charge card',
      description: 'charges once',
      group: 'action',
      docs: '',
      sideEffects: 'atMostOnce',
      parameters: {},
      execute: ({ inputs }) => {
        charges++;
        return { outputs: { main: inputs.main ?? [] } };
      },
    });
    const registry = new NodeRegistry().register(...builtinNodeTypes, charge);
    const workflow = wf(
      [T, { name: 'Charge', type: 'test.charge' }, { name: 'After', type: 'weft.noOp' }],
      ['T -> Charge', 'Charge -> After'],
    );
    // writes: T, Charge marker, Charge result (crash here: the charge happened, its checkpoint did not)
    const store = new CrashingStore(3);
    await expect(
      new WorkflowEngine({ registry, executions: store, ...unbuffered }).execute(workflow, { executionId: 'c' }),
    ).rejects.toThrow('simulated crash');
    expect(charges).toBe(1);
    const r = await new WorkflowEngine({ registry, executions: store, ...unbuffered }).resume('c', { workflow });
    expect(charges).toBe(1);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'NODE_INTERRUPTED', nodeName: 'Charge' });

    const routed = wf(
      [T, { name: 'Charge', type: 'test.charge', onError: 'continue' }, { name: 'After', type: 'weft.noOp' }],
      ['T -> Charge', 'Charge -> After'],
    );
    const store2 = new CrashingStore(3);
    await new WorkflowEngine({ registry, executions: store2, ...unbuffered })
      .execute(routed, { executionId: 'd' })
      .catch(() => {});
    const r2 = await new WorkflowEngine({ registry, executions: store2, ...unbuffered }).resume('d', {
      workflow: routed,
    });
    expect(charges).toBe(2);
    expect(r2.status).toBe('succeeded');
    expect(r2.output[0]?.json).toMatchObject({ error: { code: 'NODE_INTERRUPTED' } });
    // an uninterrupted run writes the marker and the result
    const fine = new WorkflowEngine({ registry });
    const ok = await fine.execute(workflow);
    expect((await fine.executions.listNodeRuns(ok.executionId)).map((x) => `${x.nodeName}:${x.status}`)).toEqual([
      'T:succeeded',
      'Charge:running',
      'Charge:succeeded',
      'After:succeeded',
    ]);
  });
});
