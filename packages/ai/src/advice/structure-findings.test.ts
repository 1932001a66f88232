import { validateWorkflow, type Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { optimizeWorkflow } from './optimize-workflow.js';

const node = (id: string, type: string, parameters: Record<string, unknown> = {}) => ({
  id,
  name: id,
  type,
  parameters,
});
const http = (id: string, url: string) => node(id, 'http.request', { method: 'GET', url });
const codes = (wf: Workflow) => {
  expect(validateWorkflow(wf, catalogueSource(hostCatalogue)).valid).toBe(true);
  return optimizeWorkflow(wf, { catalogue: hostCatalogue });
};

describe('optimizeWorkflow: shape findings', () => {
  it('reports independent branches that each call out, since nodes run one at a time', () => {
    const wf: Workflow = {
      name: 'w',
      nodes: [node('t', 'weft.manualTrigger'), http('a', 'https://a.test'), http('b', 'https://b.test')],
      connections: [
        { source: 't', target: 'a' },
        { source: 't', target: 'b' },
      ],
    };
    expect(codes(wf)).toEqual([
      expect.objectContaining({ code: 'parallel-branches', nodeIds: ['t', 'a', 'b'], patch: [] }),
    ]);
  });

  it('does not report exclusive IF branches, branches that merge, or branches with no call', () => {
    const ifWf: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        node('if', 'weft.if'),
        http('a', 'https://a.test'),
        http('b', 'https://b.test'),
      ],
      connections: [
        { source: 't', target: 'if' },
        { source: 'if', sourcePort: 'true', target: 'a' },
        { source: 'if', sourcePort: 'false', target: 'b' },
      ],
    };
    const merged: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        http('a', 'https://a.test'),
        http('b', 'https://b.test'),
        node('m', 'weft.merge'),
      ],
      connections: [
        { source: 't', target: 'a' },
        { source: 't', target: 'b' },
        { source: 'a', target: 'm', targetPort: 'input1' },
        { source: 'b', target: 'm', targetPort: 'input2' },
      ],
    };
    const local: Workflow = {
      name: 'w',
      nodes: [node('t', 'weft.manualTrigger'), http('a', 'https://a.test'), node('b', 'weft.noOp')],
      connections: [
        { source: 't', target: 'a' },
        { source: 't', target: 'b' },
      ],
    };
    expect([ifWf, merged, local].flatMap(codes)).toEqual([]);
  });

  it('reports an identical call repeated downstream, not different calls or calls on other paths', () => {
    const wf: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        http('first', 'https://api.test/me'),
        node('set', 'weft.noOp'),
        http('again', 'https://api.test/me'),
        http('other', 'https://api.test/you'),
      ],
      connections: [
        { source: 't', target: 'first' },
        { source: 'first', target: 'set' },
        { source: 'set', target: 'again' },
        { source: 'again', target: 'other' },
      ],
    };
    expect(codes(wf)).toEqual([
      expect.objectContaining({ code: 'repeated-call', nodeIds: ['first', 'again'], patch: [] }),
    ]);
    const sideBySide: Workflow = {
      name: 'w',
      nodes: [
        node('t1', 'weft.manualTrigger'),
        http('a', 'https://api.test/me'),
        node('t2', 'weft.manualTrigger'),
        http('b', 'https://api.test/me'),
      ],
      connections: [
        { source: 't1', target: 'a' },
        { source: 't2', target: 'b' },
      ],
    };
    expect(codes(sideBySide)).toEqual([]);
    const perItem: Workflow = {
      ...wf,
      nodes: wf.nodes.map((n) => (n.type === 'http.request' ? { ...n, parameters: { url: '{{ $json.url }}' } } : n)),
    };
    expect(codes(perItem)).toEqual([]);
  });

  it('reports a chain of more than 12 nodes in a row, not one of 12', () => {
    const chain = (n: number): Workflow => ({
      name: 'w',
      nodes: [node('t', 'weft.manualTrigger'), ...Array.from({ length: n - 1 }, (_, i) => node(`n${i}`, 'weft.noOp'))],
      connections: Array.from({ length: n - 1 }, (_, i) => ({ source: i ? `n${i - 1}` : 't', target: `n${i}` })),
    });
    const [f] = codes(chain(13));
    expect(f).toMatchObject({ code: 'long-chain', patch: [], estimatedSaving: '12 nodes less on this canvas' });
    expect(f?.nodeIds).toHaveLength(13);
    expect(codes(chain(12))).toEqual([]);
  });
});
