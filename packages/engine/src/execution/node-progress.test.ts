import { describe, expect, it } from 'vitest';
import {
  builtinNodeTypes,
  defineNodeType,
  type EngineEvent,
  type JsonValue,
  MemoryExecutionStore,
  NodeRegistry,
  param,
  WorkflowEngine,
} from '../index.js';
import { T, wf } from '../test-utils.js';

const streamer = defineNodeType({
  type: 'test.streamer',
  version: 1,
  displayName: 'Streamer',
  description: 'reports each part as progress, outputs them joined',
  group: 'action',
  docs: '',
  parameters: { parts: param.json({ label: 'Parts' }) },
  execute: async ({ params, progress }) => {
    const parts = params.parts as string[];
    for (const part of parts) {
      await Promise.resolve();
      progress({ delta: part });
    }
    return { outputs: { main: [{ json: { text: parts.join('') } }] } };
  },
});

let leftBehind: Promise<void> | undefined;
let release: (() => void) | undefined;
const stubborn = defineNodeType({
  type: 'test.stubborn',
  version: 1,
  displayName: 'Stubborn',
  description: 'ignores its signal, and reports progress after it was cut off',
  group: 'action',
  docs: '',
  parameters: {},
  execute: ({ progress }) => {
    leftBehind = new Promise<void>((r) => {
      release = r;
    }).then(() => progress({ late: true }));
    return new Promise(() => {});
  },
});

let nextSawLateReport = false;
const next = defineNodeType({
  type: 'test.next',
  version: 1,
  displayName: 'Next',
  description: 'lets the cut-off node report while it runs',
  group: 'action',
  docs: '',
  parameters: {},
  execute: async ({ inputs }) => {
    release?.();
    await leftBehind;
    nextSawLateReport = true;
    return { outputs: { main: inputs.main ?? [] } };
  },
});

const registry = new NodeRegistry().register(...builtinNodeTypes, streamer, stubborn, next);
const label = (e: EngineEvent) =>
  `${e.type}${'nodeName' in e ? ` ${e.nodeName}` : ''}${e.type === 'node:progress' ? ` ${JSON.stringify(e.data)}` : ''}`;

describe('node progress', () => {
  it('publishes node:progress events in order between node:started and node:executed, never stored', async () => {
    const executions = new MemoryExecutionStore();
    const engine = new WorkflowEngine({ registry, executions });
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const result = await engine.execute(
      wf([T, { name: 'S', type: 'test.streamer', parameters: { parts: ['He', 'llo', '!'] } }], ['T -> S']),
    );
    expect(result.output).toEqual([{ json: { text: 'Hello!' } }]);
    expect(events.map(label)).toEqual([
      'workflow:started',
      'node:started T',
      'node:executed T',
      'node:started S',
      'node:progress S {"delta":"He"}',
      'node:progress S {"delta":"llo"}',
      'node:progress S {"delta":"!"}',
      'node:executed S',
      'workflow:completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const progress = events.find((e) => e.type === 'node:progress');
    expect(progress).toMatchObject({ nodeId: 'S', runIndex: 0, executionId: result.executionId });
    const runs = await executions.listNodeRuns(result.executionId);
    expect(JSON.stringify(runs)).not.toContain('delta');
  });

  it('drops reports of a node cut off by its timeout once the next node runs', async () => {
    const engine = new WorkflowEngine({ registry });
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const result = await engine.execute(
      wf(
        [
          T,
          { name: 'Slow', type: 'test.stubborn', timeoutMs: 50, onError: 'continue' },
          { name: 'Next', type: 'test.next' },
        ],
        ['T -> Slow', 'Slow -> Next'],
      ),
    );
    expect(nextSawLateReport).toBe(true);
    expect(result.status).toBe('succeeded');
    expect(events.filter((e) => e.type === 'node:progress')).toEqual([]);
  });

  it('drops reports a finished node makes later, while the next node runs', async () => {
    let late: ((data: JsonValue) => void) | undefined;
    const early = defineNodeType({
      type: 'test.early',
      version: 1,
      displayName: 'Early',
      description: 'reports once, and keeps its reporter',
      group: 'action',
      docs: '',
      parameters: {},
      execute: async ({ inputs, progress }) => {
        progress({ step: 'mine' });
        late = progress;
        return { outputs: { main: inputs.main ?? [] } };
      },
    });
    const second = defineNodeType({
      type: 'test.second',
      version: 1,
      displayName: 'Second',
      description: 'lets the earlier node report while it runs',
      group: 'action',
      docs: '',
      parameters: {},
      execute: async ({ inputs }) => {
        late?.({ step: 'stale' });
        return { outputs: { main: inputs.main ?? [] } };
      },
    });
    const engine = new WorkflowEngine({ registry: new NodeRegistry().register(...builtinNodeTypes, early, second) });
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    await engine.execute(
      wf([T, { name: 'A', type: 'test.early' }, { name: 'B', type: 'test.second' }], ['T -> A', 'A -> B']),
    );
    expect(events.filter((e) => e.type === 'node:progress').map(label)).toEqual(['node:progress A {"step":"mine"}']);
  });

  it('costs nothing and fails nothing when no one listens', async () => {
    const engine = new WorkflowEngine({ registry });
    const result = await engine.execute(
      wf([T, { name: 'S', type: 'test.streamer', parameters: { parts: ['a', 'b'] } }], ['T -> S']),
    );
    expect(result.output).toEqual([{ json: { text: 'ab' } }]);
  });
});
