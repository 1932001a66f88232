import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../../demo/fixtures.js';
import { workflowEdits } from './workflow-edits.js';

describe('workflowEdits', () => {
  it('removing a selection takes its connections along, and undo restores the exact document', () => {
    const wf = sampleWorkflow();
    const cmd = workflowEdits.removeSelection(wf, new Set(['big']), new Set());
    const after = cmd.apply(wf);
    expect(after.nodes.map((n) => n.id)).toEqual(['trigger', 'fetch', 'notify', 'tag']);
    expect(after.connections).toEqual([{ source: 'trigger', target: 'fetch' }]);
    const back = cmd.revert(after);
    expect(new Set(back.nodes.map((n) => n.id))).toEqual(new Set(wf.nodes.map((n) => n.id)));
    expect(new Set(back.connections.map((c) => JSON.stringify(c)))).toEqual(
      new Set(wf.connections.map((c) => JSON.stringify(c))),
    );
    expect(cmd.label).toBe('Delete 1 item');
  });

  it('removes a single connection by edge id', () => {
    const wf = sampleWorkflow();
    const after = workflowEdits.removeSelection(wf, new Set(), new Set(['big:true->notify:main'])).apply(wf);
    expect(after.connections).toHaveLength(3);
    expect(after.nodes).toHaveLength(5);
  });

  it('moves nodes and notes and moves them back', () => {
    const wf = sampleWorkflow();
    const cmd = workflowEdits.move([
      { id: 'trigger', from: [0, 100], to: [20, 120] },
      { id: 'note:n1', from: [540, -120], to: [0, 0] },
    ]);
    const moved = cmd.apply(wf);
    expect(moved.nodes[0]!.position).toEqual([20, 120]);
    expect(moved.notes![0]!.position).toEqual([0, 0]);
    expect(cmd.revert(moved)).toEqual(wf);
  });

  it('never mutates its input', () => {
    const wf: Workflow = sampleWorkflow();
    const frozen = structuredClone(wf);
    workflowEdits.add('Add', { nodes: [{ id: 'x', name: 'X', type: 'weft.set', parameters: {} }] }).apply(wf);
    workflowEdits.updateNode(wf.nodes[0]!, { ...wf.nodes[0]!, name: 'Go' }).apply(wf);
    expect(wf).toEqual(frozen);
  });
});
