import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { applyAiEvent } from './ai-draft.js';
import { applyPatch } from './json-patch.js';

const node = (id: string, type = 'weft.noOp') => ({ id, name: id, type, parameters: {} });

describe('applyAiEvent', () => {
  it('draws nodes as they are added and places each beside its source once connected', () => {
    const placed = new Set<string>();
    let doc: Workflow = { name: 'w', nodes: [], connections: [] };
    doc = applyAiEvent(doc, { type: 'node-added', node: node('a') }, placed);
    doc = applyAiEvent(doc, { type: 'node-added', node: node('b') }, placed);
    doc = applyAiEvent(doc, { type: 'node-added', node: node('c') }, placed);
    doc = applyAiEvent(doc, { type: 'connected', connection: { source: 'a', target: 'b' } }, placed);
    doc = applyAiEvent(
      doc,
      { type: 'connected', connection: { source: 'a', target: 'c', sourcePort: 'false' } },
      placed,
    );
    expect(doc.nodes.map((n) => n.position)).toEqual([
      [0, 0],
      [260, 0],
      [260, 160],
    ]);
    doc = applyAiEvent(doc, { type: 'parameter-set', nodeId: 'b', name: 'text', value: 'hi' }, placed);
    expect(doc.nodes[1]?.parameters).toEqual({ text: 'hi' });
    doc = applyAiEvent(doc, { type: 'disconnected', connection: { source: 'a', target: 'b' } }, placed);
    expect(doc.connections).toEqual([{ source: 'a', target: 'c', sourcePort: 'false' }]);
    doc = applyAiEvent(doc, { type: 'node-removed', nodeId: 'c' }, placed);
    expect(doc.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(doc.connections).toEqual([]);
  });

  it('keeps the positions of the nodes being edited', () => {
    const base: Workflow = { name: 'w', nodes: [{ ...node('a'), position: [40, 80] }], connections: [] };
    const placed = new Set(['a']);
    let doc = applyAiEvent(base, { type: 'node-added', node: node('n2') }, placed);
    doc = applyAiEvent(doc, { type: 'connected', connection: { source: 'n2', target: 'a' } }, placed);
    expect(doc.nodes.find((n) => n.id === 'a')?.position).toEqual([40, 80]);
  });
});

describe('applyPatch', () => {
  it('adds, removes and replaces by JSON pointer, and names a path that does not exist', () => {
    const doc = { nodes: [node('a'), node('b')], settings: { 'a/b': 1 } };
    expect(applyPatch(doc, [{ op: 'remove', path: '/nodes/0' }]).nodes.map((n) => n.id)).toEqual(['b']);
    expect(applyPatch(doc, [{ op: 'replace', path: '/settings/a~1b', value: 2 }]).settings).toEqual({ 'a/b': 2 });
    expect(applyPatch(doc, [{ op: 'add', path: '/nodes/-', value: node('c') }]).nodes).toHaveLength(3);
    expect(doc.nodes).toHaveLength(2);
    expect(() => applyPatch(doc, [{ op: 'remove', path: '/nodes/7' }])).toThrow('No "/nodes/7"');
  });
});
