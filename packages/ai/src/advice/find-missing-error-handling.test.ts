import { validateWorkflow, type Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { applyPatch } from './apply-patch.test-support.js';
import { findMissingErrorHandling } from './find-missing-error-handling.js';

const wf = (extra: object = {}, settings?: Workflow['settings']): Workflow => ({
  name: 'w',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'post', name: 'Post', type: 'slack.sendMessage', parameters: { channel: '#ops', text: 'hi' }, ...extra },
    { id: 'hash', name: 'Hash', type: 'crypto.hash', parameters: { value: 'x' } },
    { id: 'note', name: 'Note', type: 'weft.noOp', parameters: {} },
  ],
  connections: [
    { source: 't', target: 'post' },
    { source: 'post', target: 'hash' },
  ],
  ...(settings ? { settings } : {}),
});

describe('findMissingErrorHandling', () => {
  it('flags an external call with nothing to handle its failure; its patch adds a retry and validates', () => {
    const [r, ...rest] = findMissingErrorHandling(wf(), hostCatalogue);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ nodeId: 'post', type: 'slack.sendMessage' });
    expect(r?.suggestion).toContain('Set a retry');
    const fixed = applyPatch(wf(), r?.patch ?? []);
    expect(fixed.nodes[1]?.retry).toEqual({ attempts: 3, baseMs: 1000 });
    expect(validateWorkflow(fixed, catalogueSource(hostCatalogue)).problems).toEqual([]);
    expect(findMissingErrorHandling(fixed, hostCatalogue)).toEqual([]);
  });

  it('leaves alone calls with a retry, continue, a connected error output, or an error workflow', () => {
    const routed = wf({ onError: 'route' });
    routed.connections.push({ source: 'post', sourcePort: 'error', target: 'note' });
    expect(validateWorkflow(routed, catalogueSource(hostCatalogue)).valid).toBe(true);
    for (const w of [
      wf({ retry: { attempts: 2 } }),
      wf({ onError: 'continue' }),
      routed,
      wf({}, { errorWorkflow: 'wf_err' }),
    ])
      expect(findMissingErrorHandling(w, hostCatalogue)).toEqual([]);
    expect(findMissingErrorHandling(wf({ onError: 'route' }), hostCatalogue).map((r) => r.nodeId)).toEqual(['post']);
  });
});
