import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.js';
import { ImportError } from './import-error.js';
import { importN8n } from './n8n/import-n8n.js';

describe('detectFormat', () => {
  it('tells n8n exports from Node-RED flows', () => {
    const wf = { name: 'a', nodes: [], connections: {} };
    expect(detectFormat(wf)).toBe('n8n');
    expect(detectFormat(JSON.stringify([wf, wf]))).toBe('n8n');
    expect(detectFormat({ data: [wf] })).toBe('n8n');
    expect(
      detectFormat([
        { id: 't', type: 'tab', label: 'x' },
        { id: 'n', type: 'inject', z: 't', wires: [] },
      ]),
    ).toBe('node-red');
    expect(detectFormat({ flows: [{ id: 't', type: 'tab' }], rev: '1' })).toBe('node-red');
    for (const bad of ['not json', '{}', '[]', '[1, 2]', 42, null])
      expect(detectFormat(bad), String(bad)).toBeUndefined();
    const weft = { name: 'w', nodes: [{ id: 't', name: 'T', type: 'weft.manualTrigger', parameters: {} }] };
    expect(detectFormat(weft)).toBeUndefined();
    expect(detectFormat({ ...weft, connections: [] })).toBeUndefined();
    expect(detectFormat({ name: 'n', nodes: [{ name: 'S', type: 'n8n-nodes-base.start' }] })).toBe('n8n');
  });
});

describe('importN8n input shapes', () => {
  const wf = (name: string) => ({
    name,
    nodes: [{ name: 'Go', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
    connections: {},
  });

  it('reads one export, a list (export:workflow --all) and an API page ({ data })', () => {
    expect(importN8n(wf('one')).workflows.map((w) => w.name)).toEqual(['one']);
    expect(importN8n(JSON.stringify([wf('a'), wf('b')])).workflows.map((w) => w.name)).toEqual(['a', 'b']);
    expect(importN8n({ data: [wf('c')] }).report.summary).toMatchObject({ workflows: 1, nodes: 1, exact: 1 });
  });

  it('refuses what is not an n8n export, naming where', () => {
    const err = (input: unknown) => {
      try {
        importN8n(input);
      } catch (e) {
        expect(e).toBeInstanceOf(ImportError);
        return (e as ImportError).message;
      }
      throw new Error('expected an ImportError');
    };
    expect(err('{ nope')).toMatch(/^not valid JSON/);
    expect(err({ name: 'x' })).toBe('/nodes: expected an array of nodes');
    expect(err([wf('a'), { nodes: [{ name: 'n' }] }])).toBe('/1/nodes/0: expected a node with a name and a type');
    expect(err({ nodes: [], connections: [] })).toBe('/connections: expected an object of connections by node name');
  });

  it('names an unknown node type, keeps it as a placeholder and connections through it', () => {
    const { workflows, report } = importN8n({
      name: 'x',
      nodes: [
        { name: 'Go', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
        { name: 'Mystery', type: 'n8n-nodes-community.thing', typeVersion: 2, parameters: {} },
        { name: 'After', type: 'n8n-nodes-base.noOp', parameters: {} },
      ],
      connections: {
        Go: { main: [[{ node: 'Mystery', type: 'main', index: 0 }]] },
        Mystery: { main: [[], [{ node: 'After', type: 'main', index: 0 }]] },
      },
    });
    expect(report.workflows[0]?.nodes[1]).toEqual({
      source: 'Mystery',
      sourceType: 'n8n-nodes-community.thing',
      sourceVersion: 2,
      nodes: ['Mystery'],
      status: 'unsupported',
      differences: ['n8n node type "n8n-nodes-community.thing" has no Weft equivalent'],
    });
    expect(workflows[0]?.connections).toContainEqual({ source: 'Mystery', target: 'After' });
  });
});
