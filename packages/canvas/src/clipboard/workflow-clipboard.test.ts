import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../../demo/fixtures.js';
import { copyToClipboardText, parseClipboardText, pasteFragment } from './workflow-clipboard.js';

describe('workflow clipboard', () => {
  it('copies the selected nodes and only the connections between them', () => {
    const payload = parseClipboardText(copyToClipboardText(sampleWorkflow(), new Set(['big', 'notify', 'note:n1'])))!;
    expect(payload.nodes.map((n) => n.id)).toEqual(['big', 'notify']);
    expect(payload.connections).toEqual([{ source: 'big', sourcePort: 'true', target: 'notify' }]);
    expect(payload.notes.map((n) => n.id)).toEqual(['n1']);
  });

  it('rejects text that is not a workflow fragment', () => {
    expect(parseClipboardText('hello')).toBeNull();
    expect(parseClipboardText('{"kind":"other","nodes":[]}')).toBeNull();
    expect(parseClipboardText('{"nodes":[{"id":1}]}')).toBeNull();
    expect(parseClipboardText(JSON.stringify(sampleWorkflow()))?.nodes).toHaveLength(5);
  });

  it('pastes with fresh ids, unique names, remapped connections and an offset', () => {
    const wf = sampleWorkflow();
    const payload = parseClipboardText(copyToClipboardText(wf, new Set(['big', 'notify'])))!;
    let i = 0;
    const fragment = pasteFragment(wf, payload, { offset: [40, 40] }, () => `new-${i++}`);
    expect(fragment.nodes.map((n) => [n.id, n.name, n.position])).toEqual([
      ['new-0', 'Big order? 1', [600, 140]],
      ['new-1', 'Notify sales 1', [880, 40]],
    ]);
    expect(fragment.connections).toEqual([{ source: 'new-0', sourcePort: 'true', target: 'new-1' }]);
  });

  it('carries the pinned outputs of the copied nodes only, remapped to the pasted ids', () => {
    const wf = { ...sampleWorkflow(), pinData: { big: [{ json: { a: 1 } }], fetch: [{ json: { b: 2 } }] } };
    const payload = parseClipboardText(copyToClipboardText(wf, new Set(['big', 'notify'])))!;
    expect(payload.pinData).toEqual({ big: [{ json: { a: 1 } }] });
    let i = 0;
    const fragment = pasteFragment(wf, payload, {}, () => `new-${i++}`);
    expect(fragment.pinData).toEqual({ 'new-0': [{ json: { a: 1 } }] });
    // pins of nodes that are not in the pasted text are dropped, as are malformed ones
    const text = JSON.stringify({ nodes: payload.nodes, pinData: { ghost: [{ json: {} }], big: 'x' } });
    expect(pasteFragment(wf, parseClipboardText(text)!)).not.toHaveProperty('pinData');
  });

  it('places the pasted group with its top-left corner at a point', () => {
    const wf = sampleWorkflow();
    const payload = parseClipboardText(copyToClipboardText(wf, new Set(['big', 'notify'])))!;
    const fragment = pasteFragment({ name: 'Empty', nodes: [], connections: [] }, payload, { at: [0, 0] });
    expect(fragment.nodes.map((n) => n.position)).toEqual([
      [0, 100],
      [280, 0],
    ]);
    expect(fragment.nodes.map((n) => n.name)).toEqual(['Big order?', 'Notify sales']);
  });
});
