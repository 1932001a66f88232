import { describe, expect, it } from 'vitest';
import { sampleWorkflow } from '../../demo/fixtures.js';
import { problemsByNode } from './problems-by-node.js';

describe('problemsByNode', () => {
  it('groups problems by node id, from nodeId or the JSON pointer', () => {
    const wf = sampleWorkflow();
    const grouped = problemsByNode(wf, [
      { path: '/nodes/1/parameters/url', message: 'URL is required' },
      { path: '/connections/0', message: 'Unknown port', nodeId: 'big' },
      { path: '/nodes/10/name', message: 'Out of range' },
      { path: '/settings/timeoutMs', message: 'Too small' },
    ]);
    expect(grouped.get('fetch')?.map((p) => p.message)).toEqual(['URL is required']);
    expect(grouped.get('big')?.map((p) => p.message)).toEqual(['Unknown port']);
    expect(grouped.get('')?.map((p) => p.message)).toEqual(['Out of range', 'Too small']);
  });
});
