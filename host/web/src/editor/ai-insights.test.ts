import { describe, expect, it } from 'vitest';
import { type Insights, insightLines } from './ai-insights.js';

const evidence = { executionIds: ['e1', 'e2'], links: ['/api/v1/workspaces/w/executions/e1'] };

describe('insightLines', () => {
  it('turns each kind of insight into a line on its node, failures first', () => {
    const report: Insights = {
      period: { from: 0, to: 7 * 86_400_000, executions: 10, failed: 4 },
      failures: [
        {
          ...evidence,
          workflowId: 'w',
          nodeId: 'charge',
          pattern: 'card declined for <id>',
          example: 'card declined for 42',
          count: 4,
          share: 1,
        },
      ],
      flaky: [{ ...evidence, workflowId: 'w', nodeId: 'fetch', nodeName: 'Fetch', recovered: 2, runs: 10, rate: 0.2 }],
      slow: [
        {
          ...evidence,
          workflowId: 'w',
          nodeId: 'fetch',
          nodeName: 'Fetch',
          runs: 10,
          p50Ms: 120.4,
          p95Ms: 950.6,
          maxMs: 1200,
        },
      ],
      costDrivers: [
        {
          ...evidence,
          workflowId: 'w',
          nodeId: 'code',
          nodeName: 'Code',
          runs: 10,
          computeMs: 300,
          share: 0.61,
          cost: 0,
        },
      ],
    };
    expect(insightLines(report)).toEqual([
      {
        kind: 'failure',
        nodeId: 'charge',
        text: 'fails 4× (100% of failed runs): card declined for 42',
        executionIds: ['e1', 'e2'],
      },
      {
        kind: 'flaky',
        nodeId: 'fetch',
        text: 'Fetch: flaky, needed a retry in 2 of 10 runs',
        executionIds: ['e1', 'e2'],
      },
      {
        kind: 'slow',
        nodeId: 'fetch',
        text: 'Fetch: slow, p95 951 ms (p50 120 ms) over 10 runs',
        executionIds: ['e1', 'e2'],
      },
      {
        kind: 'cost',
        nodeId: 'code',
        text: 'Code: 61% of compute time (300 ms in 10 runs)',
        executionIds: ['e1', 'e2'],
      },
    ]);
  });

  it('leaves out slow nodes under 100 ms at p95 and cost drivers under 20% of compute', () => {
    const base = { ...evidence, workflowId: 'w', nodeId: 'n', nodeName: 'N', runs: 3 };
    const report: Insights = {
      period: { from: 0, to: 1, executions: 3, failed: 0 },
      failures: [],
      flaky: [],
      slow: [{ ...base, p50Ms: 1, p95Ms: 99, maxMs: 99 }],
      costDrivers: [{ ...base, computeMs: 5, share: 0.19, cost: 0 }],
    };
    expect(insightLines(report)).toEqual([]);
  });

  it('keeps a failure that concerns no node (the workflow failed before any ran) without a node id', () => {
    const report: Insights = {
      period: { from: 0, to: 1, executions: 1, failed: 1 },
      failures: [{ ...evidence, workflowId: 'w', pattern: 'x', example: 'x', count: 1, share: 1 }],
      flaky: [],
      slow: [],
      costDrivers: [],
    };
    expect(insightLines(report)[0]).not.toHaveProperty('nodeId');
  });
});
