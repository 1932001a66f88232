import { describe, expect, it } from 'vitest';
import { sampleNodeTypes, sampleWorkflow } from '../../demo/fixtures.js';
import { workflowEdits } from '../history/workflow-edits.js';
import { CanvasGraph } from '../model/canvas-graph.js';
import { autoLayout } from './auto-layout.js';

describe('autoLayout', () => {
  it('places every node right of the nodes that feed it, without overlaps', async () => {
    const wf = sampleWorkflow();
    for (const n of wf.nodes) n.position = [0, 0];
    const graph = new CanvasGraph(wf, new Map(sampleNodeTypes.map((t) => [t.type, t])));
    const moves = await autoLayout(graph);
    const laid = workflowEdits.move(moves).apply(wf);
    const pos = new Map(laid.nodes.map((n) => [n.id, n.position!]));
    for (const c of laid.connections) expect(pos.get(c.target)![0]).toBeGreaterThan(pos.get(c.source)![0] + 200);
    const notify = pos.get('notify')!;
    const tag = pos.get('tag')!;
    expect(notify[0]).toBe(tag[0]);
    expect(Math.abs(notify[1] - tag[1])).toBeGreaterThanOrEqual(60);
  });

  it('moves only the given nodes', async () => {
    const wf = sampleWorkflow();
    const graph = new CanvasGraph(wf, new Map());
    const moves = await autoLayout(graph, { only: new Set(['tag']) });
    expect(moves.every((m) => m.id === 'tag')).toBe(true);
  });
});
