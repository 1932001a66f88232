import { validateWorkflow, type Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { applyPatch } from './apply-patch.test-support.js';
import { optimizeWorkflow } from './optimize-workflow.js';

const node = (id: string, type: string, extra: object = {}) => ({ id, name: id, type, parameters: {}, ...extra });

describe('optimizeWorkflow', () => {
  it('removes nodes no trigger reaches, with their connections, by a patch', () => {
    const wf: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        node('a', 'weft.noOp'),
        node('orphan', 'weft.noOp'),
        node('tail', 'weft.noOp'),
      ],
      connections: [
        { source: 't', target: 'a' },
        { source: 'orphan', target: 'tail' },
      ],
    };
    const [f] = optimizeWorkflow(wf, { catalogue: hostCatalogue });
    expect(f).toMatchObject({ code: 'unreachable-node', nodeIds: ['orphan', 'tail'] });
    expect(f?.patch).toEqual([
      { op: 'remove', path: '/connections/1' },
      { op: 'remove', path: '/nodes/3' },
      { op: 'remove', path: '/nodes/2' },
    ]);
    const fixed = applyPatch(wf, f?.patch ?? []);
    expect(fixed.nodes.map((n) => n.id)).toEqual(['t', 'a']);
    expect(validateWorkflow(fixed, catalogueSource(hostCatalogue)).problems).toEqual([]);
  });

  it('finds HTTP calls inside a loop body but not after its done output', () => {
    const wf: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        node('loop', 'weft.loop'),
        node('call', 'http.request'),
        node('after', 'http.request', { parameters: { url: 'https://example.com/done' } }),
      ],
      connections: [
        { source: 't', target: 'loop' },
        { source: 'loop', sourcePort: 'loop', target: 'call' },
        { source: 'call', target: 'loop', targetPort: 'continue' },
        { source: 'loop', sourcePort: 'done', target: 'after' },
      ],
    };
    expect(optimizeWorkflow(wf, { catalogue: hostCatalogue })).toEqual([
      expect.objectContaining({ code: 'http-in-loop', nodeIds: ['loop', 'call'], patch: [] }),
    ]);
  });

  it('removes the outer retry of a sub-workflow call whose nodes retry too, and reports large payloads', () => {
    const inner: Workflow = {
      name: 'inner',
      nodes: [node('x', 'http.request', { retry: { attempts: 3 } })],
      connections: [],
    };
    const wf: Workflow = {
      name: 'w',
      nodes: [
        node('t', 'weft.manualTrigger'),
        node('sub', 'weft.executeWorkflow', {
          retry: { attempts: 4 },
          parameters: { source: 'json', workflow: inner },
        }),
      ],
      connections: [{ source: 't', target: 'sub' }],
    };
    const findings = optimizeWorkflow(wf, { payloadBytes: { sub: 300 * 1024, t: 10 } });
    expect(findings.map((f) => [f.code, f.patch])).toEqual([
      ['stacked-retries', [{ op: 'remove', path: '/nodes/1/retry' }]],
      ['large-payload', []],
    ]);
    expect(findings[0]?.message).toContain('up to 12 attempts');
    const fixed = applyPatch(wf, findings[0]?.patch ?? []);
    expect(fixed.nodes[1]?.retry).toBeUndefined();
    expect(validateWorkflow(fixed, catalogueSource(hostCatalogue)).problems).toEqual([]);
    expect(findings[1]?.message).toContain('300 KB, over 256 KB');
  });
});
