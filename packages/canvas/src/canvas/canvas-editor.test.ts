import { describe, expect, it } from 'vitest';
import { sampleNodeTypes, sampleWorkflow } from '../../demo/fixtures.js';
import { CanvasEditor } from './canvas-editor.js';

describe('CanvasEditor', () => {
  it('connects valid ports, refuses invalid ones, and undoes a connection', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    expect(ed.connect({ source: 'notify', target: 'fetch' }).change?.label).toBe('Connect');
    expect(ed.workflow.connections).toHaveLength(5);
    expect(ed.connect({ source: 'notify', target: 'fetch' }).problem).toMatch(/already/);
    expect(
      ed.connect({ source: 'fetch', sourcePort: 'main', target: 'trigger', targetPort: 'main' }).problem,
    ).toBeTruthy();
    ed.undo();
    expect(ed.workflow.connections).toHaveLength(4);
  });

  it('adds a node with default parameters and a unique name, wired to an open connection end', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    const { node } = ed.addNode('weft.set', [-1000, -1000], { nodeId: 'tag', port: 'main', handle: 'source' });
    expect(node).toMatchObject({
      name: 'Set',
      type: 'weft.set',
      parameters: { fields: [], keepOnlySet: false },
      position: [-1000, -1000],
    });
    expect(ed.workflow.connections.at(-1)).toEqual({ source: 'tag', target: node.id });
    expect([...ed.selected]).toEqual([node.id]);
    const second = ed.addNode('weft.set', [0, 0], { nodeId: 'fetch', port: 'main', handle: 'target' }).node;
    expect(second.name).toBe('Set 1');
    expect(ed.workflow.connections.at(-1)).toEqual({ source: second.id, target: 'fetch' });
    ed.undo();
    ed.undo();
    expect(ed.workflow).toEqual(sampleWorkflow());
  });

  it("pins and unpins a node's output in pinData as undo steps; deleting the node takes its pin, undo restores it", () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    const items = [{ json: { id: 7 } }];
    expect(ed.pin('fetch', items).workflow).toBe(true);
    expect(ed.workflow.pinData).toEqual({ fetch: items });
    ed.pin('fetch', undefined);
    expect(ed.workflow).not.toHaveProperty('pinData');
    ed.undo();
    expect(ed.workflow.pinData).toEqual({ fetch: items });
    ed.select(['fetch']);
    ed.deleteSelection();
    expect(ed.workflow.nodes.some((n) => n.id === 'fetch')).toBe(false);
    expect(ed.workflow).not.toHaveProperty('pinData');
    ed.undo();
    expect(ed.workflow.pinData).toEqual({ fetch: items });
    expect(ed.pin('missing', items).workflow).toBe(false);
  });

  it('never lets new nodes added at the same spot overlap', () => {
    const ed = new CanvasEditor({ name: 'x', nodes: [], connections: [] }, sampleNodeTypes);
    const spots = [1, 2, 3].map(() => ed.addNode('weft.set', [100, 100]).node.position);
    expect(spots[0]).toEqual([100, 100]);
    const ys = spots.map((p) => p[1]);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(62);
  });

  it('deletes the selection with its connections as one step and prunes the selection', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    ed.select(['big', 'note:n1']);
    expect(ed.graph.lookup.get('big')?.selected).toBe(true);
    const change = ed.deleteSelection();
    expect(change).toMatchObject({ workflow: true, selection: true, label: 'Delete 2 items' });
    expect(ed.workflow.connections).toEqual([{ source: 'trigger', target: 'fetch' }]);
    expect(ed.workflow.notes).toEqual([]);
    expect(ed.selected.size).toBe(0);
    ed.undo();
    expect(ed.workflow.nodes).toHaveLength(5);
    expect(ed.workflow.connections).toHaveLength(4);
  });

  it('duplicates through the clipboard format and selects the copies', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    ed.select(['fetch', 'big']);
    const text = ed.copySelection()!;
    const change = ed.paste(text, { offset: [40, 40] })!;
    expect(change.label).toBe('Paste 2 items');
    expect(ed.workflow.nodes.map((n) => n.name).slice(5)).toEqual(['Fetch orders 1', 'Big order? 1']);
    expect(ed.selected.size).toBe(2);
    for (const id of ed.selected) expect(ed.graph.lookup.get(id)?.selected).toBe(true);
    expect(ed.graph.lookup.get('fetch')?.selected).toBe(false);
    expect(ed.workflow.connections).toHaveLength(5);
    expect(ed.paste('not json')).toBeNull();
  });

  it('pins travel with copy and paste: the copies carry their own pins, undo takes them away', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    const items = [{ json: { id: 1 } }];
    ed.pin('fetch', items);
    ed.pin('notify', [{ json: { ok: true } }]);
    ed.select(['fetch', 'big']);
    ed.paste(ed.copySelection()!, { offset: [40, 40] });
    const copy = ed.workflow.nodes.find((n) => n.name === 'Fetch orders 1')!;
    const bigCopy = ed.workflow.nodes.find((n) => n.name === 'Big order? 1')!;
    expect(ed.workflow.pinData?.[copy.id]).toEqual(items);
    expect(ed.workflow.pinData?.[copy.id]).not.toBe(ed.workflow.pinData?.fetch);
    expect(ed.workflow.pinData).not.toHaveProperty(bigCopy.id);
    expect(Object.keys(ed.workflow.pinData ?? {})).toHaveLength(3);
    ed.undo();
    expect(Object.keys(ed.workflow.pinData ?? {}).sort()).toEqual(['fetch', 'notify']);
  });

  it('merges consecutive nudges of the same selection into one undo step', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    ed.move([{ id: 'trigger', from: [0, 100], to: [10, 100] }], 'nudge:trigger');
    ed.move([{ id: 'trigger', from: [10, 100], to: [20, 100] }], 'nudge:trigger');
    expect(ed.workflow.nodes[0]?.position).toEqual([20, 100]);
    ed.undo();
    expect(ed.workflow.nodes[0]?.position).toEqual([0, 100]);
    expect(ed.move([{ id: 'trigger', from: [0, 100], to: [0, 100] }]).workflow).toBe(false);
  });

  it('loading a new document clears the history', () => {
    const ed = new CanvasEditor(sampleWorkflow(), sampleNodeTypes);
    ed.connect({ source: 'notify', target: 'fetch' });
    ed.load({ name: 'Other', nodes: [], connections: [] });
    expect(ed.history.canUndo).toBe(false);
    expect(ed.undo().workflow).toBe(false);
  });
});
