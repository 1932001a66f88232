import type { ExecutionDetail } from '@weft/client';
import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { nodeRunData } from './node-run-view.js';

const workflow: Workflow = {
  name: 'w',
  nodes: [
    { id: 't', name: 'Trigger', type: 'weft.manualTrigger', parameters: {} },
    { id: 'h', name: 'HTTP', type: 'http.request', parameters: {} },
    { id: 'n', name: 'New', type: 'weft.set', parameters: {} },
  ],
  connections: [
    { source: 't', target: 'h' },
    { source: 'h', target: 'n' },
  ],
};
const run = (nodeId: string, nodeName: string, status: string, extra: object) => ({
  nodeId,
  nodeName,
  status,
  startedAt: 10,
  finishedAt: 15,
  ...extra,
});
const execution = {
  nodeRuns: [
    run('t', 'Trigger', 'succeeded', { input: { main: [{ json: {} }] }, output: { main: [{ json: { id: 7 } }] } }),
    run('h', 'HTTP', 'failed', { error: { code: 'HTTP_ERROR', message: '500' } }),
  ],
} as unknown as ExecutionDetail;

describe('nodeRunData', () => {
  it('gives a failed node the items its edge carried as its input (not 0 items)', () => {
    const d = nodeRunData(workflow, execution, 'h');
    expect(d.inputItems).toEqual([{ json: { id: 7 } }]);
    expect(d.view).toMatchObject({
      nodeName: 'HTTP',
      status: 'failed',
      durationMs: 5,
      input: { main: [{ json: { id: 7 } }] },
    });
    expect(d.nodeOutputs).toEqual({ Trigger: [{ json: { id: 7 } }] });
  });

  it('shows no run for a node whose upstream did not run, and nothing without a node', () => {
    expect(nodeRunData(workflow, execution, 'n').view).toBeNull();
    expect(nodeRunData(workflow, undefined, undefined)).toEqual({ inputItems: [], nodeOutputs: {}, view: null });
  });
});
