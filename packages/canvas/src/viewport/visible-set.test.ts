import { describe, expect, it } from 'vitest';
import { largeWorkflow, sampleNodeTypes } from '../../demo/fixtures.js';
import { CanvasGraph } from '../model/canvas-graph.js';
import { VisibleSet } from './visible-set.js';

const types = new Map(sampleNodeTypes.map((t) => [t.type, t]));

describe('VisibleSet', () => {
  const graph = new CanvasGraph(largeWorkflow(1000, 1200), types);

  it('renders only nodes near the viewport, and the edges touching them', () => {
    const v = new VisibleSet();
    expect(v.update(graph, [0, 0, 1], 1200, 800, [], false)).toBe(true);
    expect(v.nodes.length).toBeGreaterThan(20);
    expect(v.nodes.length).toBeLessThan(100);
    expect(v.nodes).toContain('n0');
    expect(v.nodes).not.toContain('n999');
    const shown = new Set(v.nodes);
    expect(v.edges.every((e) => shown.has(e.connection.source) || shown.has(e.connection.target))).toBe(true);
  });

  it('shows everything when zoomed out far enough', () => {
    const v = new VisibleSet();
    v.update(graph, [0, 0, 0.1], 1200, 800);
    expect(v.nodes).toHaveLength(1000);
    expect(v.edges).toHaveLength(1200);
  });

  it('does not re-render for small pans, but does when new nodes come into view', () => {
    const v = new VisibleSet();
    v.update(graph, [0, 0, 1], 1200, 800);
    expect(v.update(graph, [-5, -5, 1], 1200, 800)).toBe(false);
    expect(v.update(graph, [-3000, -2000, 1], 1200, 800)).toBe(true);
    expect(v.nodes).not.toContain('n0');
  });

  it('keeps pinned nodes (dragged or focused) even off screen, and re-renders for a new graph', () => {
    const v = new VisibleSet();
    v.update(graph, [0, 0, 1], 1200, 800, ['n999']);
    expect(v.nodes).toContain('n999');
    const other = new CanvasGraph(largeWorkflow(10, 9), types);
    expect(v.update(other, [0, 0, 1], 1200, 800)).toBe(true);
    expect(v.nodes.every((id) => other.lookup.has(id))).toBe(true);
  });

  it('gives elements to every drawn node, or with plain boxes only to notes and pinned nodes', () => {
    const v = new VisibleSet();
    v.update(graph, [0, 0, 0.1], 1200, 800);
    expect(v.choose(false, new Set())).toBe(true);
    expect(v.elements).toHaveLength(1000);
    expect(v.choose(true, new Set(['n41']))).toBe(true);
    expect(v.elements).toEqual(['n41']);
    expect(v.choose(true, new Set(['n41']))).toBe(false);
    const withNote = new CanvasGraph(
      { ...largeWorkflow(10, 9), notes: [{ id: 'x', text: 'hi', position: [0, 0] }] },
      types,
    );
    v.update(withNote, [0, 0, 0.1], 1200, 800);
    v.choose(true, new Set());
    expect(v.elements).toEqual(['note:x']);
  });

  it('finds the node at a flow point', () => {
    const v = new VisibleSet();
    v.update(graph, [0, 0, 0.1], 1200, 800);
    const p = graph.position('n41')!;
    expect(v.hit({ x: p.x + 100, y: p.y + 20 })).toBe('n41');
    expect(v.hit({ x: p.x - 30, y: p.y - 30 })).toBeUndefined();
  });
});
