import { describe, expect, it } from 'vitest';
import { sampleNodeTypes, sampleWorkflow } from '../../demo/fixtures.js';
import { CanvasGraph } from './canvas-graph.js';
import { compatibleNodeTypes, connectionProblem } from './connection-rules.js';

const types = new Map(sampleNodeTypes.map((t) => [t.type, t]));

describe('connection rules', () => {
  const graph = new CanvasGraph(sampleWorkflow(), types);

  it('accepts an output-to-input connection between different nodes', () => {
    expect(connectionProblem(graph, { source: 'notify', target: 'fetch' })).toBeNull();
    expect(connectionProblem(graph, { source: 'big', sourcePort: 'false', target: 'notify' })).toBeNull();
  });

  it('refuses duplicates, self loops, unknown ports and triggers as targets', () => {
    expect(connectionProblem(graph, { source: 'trigger', target: 'fetch' })).toMatch(/already connected/);
    expect(connectionProblem(graph, { source: 'fetch', target: 'fetch' })).toMatch(/itself/);
    expect(connectionProblem(graph, { source: 'big', sourcePort: 'maybe', target: 'tag' })).toMatch(
      /no output "maybe"/,
    );
    expect(connectionProblem(graph, { source: 'fetch', target: 'trigger' })).toMatch(/no input "main"/);
    expect(connectionProblem(graph, { source: 'note:n1', target: 'fetch' })).toMatch(/Unknown source/);
  });

  it('lists node types that can sit at the open end of a connection', () => {
    const fromOutput = compatibleNodeTypes(sampleNodeTypes, 'source').map((t) => t.type);
    expect(fromOutput).not.toContain('weft.manualTrigger');
    expect(fromOutput).toContain('weft.merge');
    expect(compatibleNodeTypes(sampleNodeTypes, 'target').map((t) => t.type)).toContain('weft.manualTrigger');
  });

  it('gives every node handle bounds matching its ports', () => {
    const big = graph.lookup.get('big')!;
    expect(big.internals.handleBounds?.source?.map((h) => h.id)).toEqual(['true', 'false']);
    expect(big.internals.handleBounds?.target?.map((h) => h.id)).toEqual(['main']);
    expect(graph.lookup.get('trigger')!.internals.handleBounds?.target).toEqual([]);
    const p = graph.handlePoint('big', 'source', 'false')!;
    expect(p.x).toBe(560 + 200);
    expect(graph.edges.map((e) => e.id)).toContain('big:false->tag:main');
  });

  it('shows ports a connection uses on dynamic node types, and an error output for onError route', () => {
    const wf = sampleWorkflow();
    wf.nodes.push({ id: 'sw', name: 'Switch', type: 'acme.switch', parameters: {}, onError: 'route' });
    wf.connections.push({ source: 'sw', sourcePort: 'case1', target: 'tag' });
    const g = new CanvasGraph(wf, types);
    const item = g.items.get('sw');
    expect(item?.kind === 'node' && item.ports.outputs.map((p) => p.name)).toEqual(['main', 'case1', 'error']);
  });
});
