import { firstValueFrom, toArray } from 'rxjs';
import { filter, take } from 'rxjs/operators';
import { describe, expect, it } from 'vitest';
import {
  builtinNodeTypes,
  defineNodeType,
  type EngineEvent,
  MemoryWorkflowStore,
  NodeRegistry,
  param,
  WorkflowEngine,
} from '../index.js';
import { items, T, wf } from '../test-utils.js';

let calls = 0;
const flaky = defineNodeType({
  type: 'test.flaky',
  version: 1,
  displayName: 'Flaky',
  description: 'fails the first n calls',
  group: 'action',
  docs: '',
  parameters: {
    failures: param.number({ label: 'Failures', default: 0 }),
    sleepMs: param.number({ label: 'Sleep', default: 0 }),
  },
  execute: async ({ inputs, params, signal }) => {
    calls++;
    if (params.sleepMs)
      await new Promise((r, j) => {
        const t = setTimeout(r, params.sleepMs);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          j(signal.reason);
        });
      });
    if (calls <= (params.failures ?? 0)) throw new Error(`failure ${calls}`);
    return { outputs: { main: inputs.main ?? [] } };
  },
});
const registry = new NodeRegistry().register(...builtinNodeTypes, flaky);
const F = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'F',
  type: 'test.flaky',
  parameters,
  ...extra,
});

describe('WorkflowEngine', () => {
  it('publishes ordered events for an execution', async () => {
    const engine = new WorkflowEngine();
    const events = firstValueFrom(engine.events$.pipe(take(8), toArray()));
    await engine.execute(
      wf([T, { name: 'A', type: 'weft.noOp' }, { name: 'B', type: 'weft.noOp' }], ['T -> A', 'A -> B']),
    );
    const list = await events;
    expect(list.map((e) => `${e.type}${'nodeName' in e ? ` ${e.nodeName}` : ''}`)).toEqual([
      'workflow:started',
      'node:started T',
      'node:executed T',
      'node:started A',
      'node:executed A',
      'node:started B',
      'node:executed B',
      'workflow:completed',
    ]);
    expect(list.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(list.map((e) => e.executionId)).size).toBe(1);
  });

  it('checkpoints every node run through the execution store', async () => {
    const engine = new WorkflowEngine();
    const r = await engine.execute(wf([T, { name: 'A', type: 'weft.noOp' }], ['T -> A']), { input: items({ x: 1 }) });
    const runs = await engine.executions.listNodeRuns(r.executionId);
    expect(runs.map((x) => [x.seq, x.nodeName, x.status])).toEqual([
      [0, 'T', 'succeeded'],
      [1, 'A', 'succeeded'],
    ]);
    expect(runs[1]?.output).toEqual({ main: [{ json: { x: 1 } }] });
    expect(await engine.executions.get('default', r.executionId)).toMatchObject({
      status: 'succeeded',
      output: { main: [{ json: { x: 1 } }] },
    });
  });

  it('retries with backoff and full jitter, then succeeds', async () => {
    calls = 0;
    const delays: number[] = [];
    const engine = new WorkflowEngine({
      registry,
      random: () => 0.5,
      clock: { now: () => Date.now(), sleep: async (ms) => void delays.push(ms) },
    });
    const r = await engine.execute(
      wf([T, F({ failures: 3 }, { retry: { attempts: 4, baseMs: 100, capMs: 300 } })], ['T -> F']),
    );
    expect(r.status).toBe('succeeded');
    expect(delays).toEqual([50, 100, 150]);
    expect((await engine.executions.listNodeRuns(r.executionId))[1]?.attempts).toBe(4);
  });

  it('fails after the last attempt with the node named', async () => {
    calls = 0;
    const engine = new WorkflowEngine({ registry, random: () => 0 });
    const r = await engine.execute(wf([T, F({ failures: 5 }, { retry: { attempts: 2, baseMs: 1 } })], ['T -> F']));
    expect(r.error).toMatchObject({ code: 'NODE_ERROR', message: 'failure 2', nodeName: 'F' });
  });

  it('on error: continue passes items with the error; route sends them to the error output', async () => {
    calls = 0;
    const engine = new WorkflowEngine({ registry });
    const cont = await engine.execute(
      wf(
        [T, F({ failures: 1 }, { onError: 'continue' }), { name: 'After', type: 'weft.noOp' }],
        ['T -> F', 'F -> After'],
      ),
      { input: items({ a: 1 }) },
    );
    expect(cont.output).toEqual([{ json: { a: 1, error: { message: 'failure 1', code: 'NODE_ERROR' } } }]);
    calls = 0;
    const route = await engine.execute(
      wf(
        [
          T,
          F({ failures: 1 }, { onError: 'route' }),
          { name: 'Ok', type: 'weft.noOp' },
          { name: 'Bad', type: 'weft.noOp' },
        ],
        ['T -> F', 'F -> Ok', 'F:error -> Bad'],
      ),
      { input: items({ a: 1 }) },
    );
    expect(route.output).toEqual([{ json: { a: 1, error: { message: 'failure 1', code: 'NODE_ERROR' } } }]);
    const runs = await engine.executions.listNodeRuns(route.executionId);
    expect(runs.map((x) => x.nodeName)).toEqual(['T', 'F', 'Bad']);
    expect(runs[1]?.status).toBe('failed');
  });

  it('enforces a per-node timeout', async () => {
    calls = 1;
    const engine = new WorkflowEngine({ registry });
    const r = await engine.execute(wf([T, F({ sleepMs: 5000 }, { timeoutMs: 30 })], ['T -> F']));
    expect(r.error).toMatchObject({ code: 'NODE_TIMEOUT', nodeName: 'F' });
    expect(r.error?.message).toContain('30 ms');
  });

  it('stops at the limits, naming them', async () => {
    const loop = wf(
      [T, { name: 'Loop', type: 'weft.loop' }, { name: 'Body', type: 'weft.noOp' }],
      ['T -> Loop', 'Loop:loop -> Body', 'Body -> Loop:continue'],
    );
    const many = Array.from({ length: 50 }, (_, i) => ({ json: { i } }));
    const a = await new WorkflowEngine({ limits: { maxNodeRuns: 20 } }).execute(loop, { input: many });
    expect(a.error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxNodeRuns' } });
    const b = await new WorkflowEngine({ limits: { maxItemsPerNode: 10 } }).execute(wf([T], []), { input: many });
    expect(b.error?.message).toContain('maxItemsPerNode');
    const c = await new WorkflowEngine({ limits: { maxPayloadBytes: 100 } }).execute(wf([T], []), { input: many });
    expect(c.error?.message).toContain('maxPayloadBytes');
    calls = 1;
    const d = await new WorkflowEngine({ registry, limits: { maxDurationMs: 40 } }).execute(
      wf([T, F({ sleepMs: 5000 })], ['T -> F']),
    );
    expect(d.error).toMatchObject({ code: 'WORKFLOW_TIMEOUT', details: { limit: 'maxDurationMs' } });
    expect((await new WorkflowEngine().executions.list('default')).items).toEqual([]);
  });

  it('cancels with an AbortSignal and with cancel()', async () => {
    calls = 1;
    const engine = new WorkflowEngine({ registry });
    const controller = new AbortController();
    const running = engine.execute(
      wf([T, F({ sleepMs: 5000 }), { name: 'After', type: 'weft.noOp' }], ['T -> F', 'F -> After']),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('user pressed stop')), 20);
    const r = await running;
    expect(r.status).toBe('cancelled');
    expect(r.error?.message).toBe('user pressed stop');
    const started = firstValueFrom(
      engine.events$.pipe(
        filter((e): e is EngineEvent & { type: 'node:started' } => e.type === 'node:started' && e.nodeName === 'F'),
      ),
    );
    const second = engine.execute(wf([T, F({ sleepMs: 5000 })], ['T -> F']));
    const ev = await started;
    expect(await engine.cancel(ev.executionId)).toBe(true);
    expect((await second).status).toBe('cancelled');
    expect((await engine.executions.get(undefined, ev.executionId))?.status).toBe('cancelled');
  });

  it('idempotency keys start no second execution', async () => {
    const engine = new WorkflowEngine();
    const w = wf([T]);
    const a = await engine.execute(w, { idempotencyKey: 'delivery-1' });
    const b = await engine.execute(w, { idempotencyKey: 'delivery-1' });
    expect(b).toMatchObject({ executionId: a.executionId, duplicate: true, status: 'succeeded' });
    expect((await engine.executions.list('default')).items).toHaveLength(1);
  });

  it('tells the caller once the execution is stored, before its first node runs', async () => {
    const engine = new WorkflowEngine();
    const seen: string[] = [];
    engine.events$.subscribe((e) => e.type === 'node:started' && seen.push(`node ${e.nodeName}`));
    const w = wf([T, { name: 'A', type: 'weft.noOp' }], ['T -> A']);
    const stored: Promise<string | undefined>[] = [];
    const onCreated = (id: string, duplicate: boolean) => {
      seen.push(`created ${duplicate ? 'again' : 'new'}`);
      stored.push(engine.executions.get(undefined, id).then((r) => r?.status));
    };
    const first = await engine.execute(w, { idempotencyKey: 'k', onCreated });
    expect(seen).toEqual(['created new', 'node T', 'node A']);
    seen.length = 0;
    const again = await engine.execute(w, { idempotencyKey: 'k', onCreated });
    expect(again.executionId).toBe(first.executionId);
    expect(seen).toEqual(['created again']);
    // the record existed when the callback ran (read before the run went on)
    expect(await Promise.all(stored)).toEqual(['running', 'succeeded']);
  });

  it('refuses an unknown start node before storing anything (execute and enqueue)', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({ workflows });
    const flow = wf([T, { name: 'A', type: 'weft.noOp' }], ['T -> A']);
    await workflows.save('default', { ...flow, id: 'wf1' });
    await expect(engine.execute(flow, { startNodeId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { startNodeId: 'nope' },
    });
    await expect(engine.enqueue('default', 'wf1', { startNodeId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { startNodeId: 'nope' },
    });
    expect((await engine.executions.list('default')).items).toEqual([]);
    expect((await engine.queue.stats()).ready).toBe(0);
    const ok = await engine.enqueue('default', 'wf1', { startNodeId: 'T' });
    expect((await engine.executions.get('default', ok.executionId))?.status).toBe('queued');
  });

  it('runs the error workflow when an execution fails', async () => {
    const workflows = new MemoryWorkflowStore();
    const engine = new WorkflowEngine({ workflows });
    await workflows.save('default', { ...wf([{ name: 'On error', type: 'weft.subWorkflowTrigger' }]), id: 'alerts' });
    const failing = wf(
      [T, { name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'nope' } }],
      ['T -> Stop'],
      { settings: { errorWorkflow: 'alerts' } },
    );
    const r = await engine.execute(failing);
    const runs = (await engine.executions.list('default')).items;
    const alert = runs.find((x) => x.mode === 'error');
    expect(alert?.status).toBe('succeeded');
    expect(alert?.output?.main?.[0]?.json).toMatchObject({
      execution: { id: r.executionId, error: { code: 'STOPPED_BY_NODE', message: 'nope' } },
    });
  });

  it('expressions see $json, $input, $(), $execution, $workflow, $now and only allow-listed $env', async () => {
    const now = Date.UTC(2026, 4, 6, 7, 8, 9);
    const engine = new WorkflowEngine({ env: { REGION: 'eu' }, clock: { now: () => now, sleep: async () => {} } });
    const fields = [
      { name: 'a', value: '{{ $json.a }}' },
      { name: 'count', value: '{{ $input.all().length }}' },
      { name: 'first', value: '{{ $("T").first().json.a }}' },
      { name: 'exec', value: '{{ $execution.id === "fixed" }}' },
      { name: 'wfName', value: '{{ $workflow.name }}' },
      { name: 'day', value: '{{ $date.format($now, "yyyy-MM-dd HH:mm") }}' },
      { name: 'region', value: '{{ $env.REGION }}' },
      { name: 'path', value: '{{ $env.PATH ?? "hidden" }}' },
      { name: 'helpers', value: '{{ $arr.sum([1,2,3]) + $obj.get({a:{b:2}}, "a.b") }}' },
    ];
    const r = await engine.execute(
      wf([T, { name: 'S', type: 'weft.set', parameters: { mode: 'replace', fields } }], ['T -> S']),
      {
        input: items({ a: 1 }, { a: 2 }),
        executionId: 'fixed',
      },
    );
    expect(r.output[1]?.json).toEqual({
      a: 2,
      count: 2,
      first: 1,
      exec: true,
      wfName: 'Test',
      day: '2026-05-06 07:08',
      region: 'eu',
      path: 'hidden',
      helpers: 8,
    });
  });

  it('an expression error names the node, parameter and item', async () => {
    const r = await new WorkflowEngine().execute(
      wf(
        [T, { name: 'S', type: 'weft.set', parameters: { fields: [{ name: 'x', value: '{{ $json.a.b }}' }] } }],
        ['T -> S'],
      ),
      {
        input: items({ a: { b: 1 } }, {}),
      },
    );
    expect(r.error).toMatchObject({
      code: 'EXPRESSION_ERROR',
      nodeName: 'S',
      details: { parameter: 'fields[0].value', itemIndex: 1 },
    });
  });

  it('debug: pinned data replaces a node; stopAfter ends early', async () => {
    const engine = new WorkflowEngine();
    const w = wf(
      [
        T,
        { name: 'A', type: 'weft.noOp' },
        { name: 'B', type: 'weft.set', parameters: { fields: [{ name: 'b', value: '1' }] } },
      ],
      ['T -> A', 'A -> B'],
    );
    const pinned = await engine.execute(w, { pinData: { A: items({ pinned: true }) } });
    expect(pinned.output).toEqual([{ json: { pinned: true, b: '1' } }]);
    const early = await engine.execute(w, { stopAfter: 'A' });
    expect((await engine.executions.listNodeRuns(early.executionId)).map((x) => x.nodeName)).toEqual(['T', 'A']);
  });

  it("a document's pinData never replaces a node in a run that is not given it", async () => {
    const engine = new WorkflowEngine();
    const w = wf(
      [T, { name: 'B', type: 'weft.set', parameters: { fields: [{ name: 'b', value: '1' }] } }],
      ['T -> B'],
      { pinData: { B: items({ pinned: true }) } },
    );
    const r = await engine.execute(w, { input: items({ a: 1 }) });
    expect(r.output).toEqual([{ json: { a: 1, b: '1' } }]);
  });

  it('rejects an unknown node type with a clear error', async () => {
    await expect(new WorkflowEngine().execute(wf([T, { name: 'X', type: 'acme.nope' }], ['T -> X']))).rejects.toThrow(
      'Node "X" has unknown type "acme.nope"',
    );
  });

  it('a node can set the execution response, use the blob store, and choose its error code', async () => {
    const { MemoryBlobStore } = await import('../index.js');
    const responder = defineNodeType({
      type: 'test.respond',
      version: 1,
      displayName: 'Respond',
      description: '',
      group: 'action',
      docs: '',
      parameters: {},
      execute: async ({ inputs, respond, blobs }) => {
        await blobs?.put('k', new TextEncoder().encode('hello'));
        respond({ status: 201, body: { ok: true } });
        return { outputs: { main: inputs.main ?? [] } };
      },
    });
    const broken = defineNodeType({
      type: 'test.broken',
      version: 1,
      displayName: 'Broken',
      description: '',
      group: 'action',
      docs: '',
      parameters: {},
      execute: () => {
        throw Object.assign(new Error('credential revoked'), { code: 'CREDENTIAL_BROKEN' });
      },
    });
    const blobs = new MemoryBlobStore();
    const engine = new WorkflowEngine({
      blobs,
      registry: new NodeRegistry().register(...builtinNodeTypes, responder, broken),
    });
    const r = await engine.execute(wf([T, { name: 'R', type: 'test.respond' }], ['T -> R']));
    expect(r.response).toEqual({ status: 201, body: { ok: true } });
    expect(new TextDecoder().decode(await blobs.get('k'))).toBe('hello');
    const b = await engine.execute(wf([T, { name: 'B', type: 'test.broken' }], ['T -> B']));
    expect(b.error).toMatchObject({ code: 'CREDENTIAL_BROKEN', message: 'credential revoked' });
  });
});
