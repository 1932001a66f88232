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
});
