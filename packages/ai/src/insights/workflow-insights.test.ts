import type { ExecutionRecord, NodeRunRecord, Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { normaliseError } from './normalise-error.js';
import { workflowInsights } from './workflow-insights.js';

const workflow: Workflow = {
  name: 'Orders',
  nodes: [
    { id: 't', name: 'Webhook', type: 'weft.webhook', parameters: {} },
    { id: 'fetch', name: 'Fetch order', type: 'http.request', parameters: {} },
    { id: 'mail', name: 'Mail', type: 'email.sendEmail', parameters: {} },
  ],
  connections: [],
};
const executions: ExecutionRecord[] = [];
const nodeRuns: NodeRunRecord[] = [];
let clock = 1_000_000;
function run(
  id: string,
  steps: { node: string; ms: number; status?: 'succeeded' | 'failed'; attempts?: number; error?: string }[],
  extra: Partial<ExecutionRecord> = {},
) {
  const startedAt = clock;
  steps.forEach((s, seq) => {
    const name = workflow.nodes.find((n) => n.id === s.node)?.name as string;
    nodeRuns.push({
      executionId: id,
      seq,
      nodeId: s.node,
      nodeName: name,
      runIndex: 0,
      status: s.status ?? 'succeeded',
      attempts: s.attempts ?? 1,
      ...(s.error ? { error: { message: s.error, code: 'NODE_FAILED', nodeId: s.node } } : {}),
      startedAt: clock,
      finishedAt: clock + s.ms,
    });
    clock += s.ms;
  });
  const failed = steps.find((s) => s.status === 'failed');
  executions.push({
    id,
    workspaceId: 'ws1',
    workflowId: 'wf1',
    workflowVersion: 1,
    status: failed ? 'failed' : 'succeeded',
    mode: 'webhook',
    input: { main: [] },
    startedAt,
    finishedAt: clock,
    depth: 0,
    ...(failed
      ? { error: { message: failed.error as string, code: 'NODE_FAILED', nodeId: failed.node, nodeName: 'x' } }
      : {}),
    ...extra,
  });
  clock += 1000;
}

for (let i = 0; i < 6; i++)
  run(`ok${i}`, [
    { node: 't', ms: 1 },
    { node: 'fetch', ms: 100 + i * 10, attempts: i === 2 ? 3 : 1 },
    { node: 'mail', ms: 20 },
  ]);
run('slow', [
  { node: 't', ms: 1 },
  { node: 'fetch', ms: 5000 },
  { node: 'mail', ms: 20 },
]);
for (const [i, order] of ['ord_9f8e7d6c5b', 'ord_1a2b3c4d5e', 'ord_7777aaaa99'].entries())
  run(`f503-${i}`, [
    { node: 't', ms: 1 },
    {
      node: 'fetch',
      ms: 30,
      status: 'failed',
      error: `GET https://shop.example.com/orders/${order} failed with status 503 after ${120 + i} ms`,
    },
  ]);
run('f-mail', [
  { node: 't', ms: 1 },
  { node: 'fetch', ms: 100 },
  { node: 'mail', ms: 5, status: 'failed', error: 'Mailbox "ops@example.com" is full (quota 1024 MB)' },
]);
run('retry-of-mail', [{ node: 'mail', ms: 10 }], { parentExecutionId: 'f-mail', mode: 'retry' });

describe('workflowInsights', () => {
  const insights = workflowInsights({
    workspaceId: 'ws1',
    executions,
    nodeRuns,
    workflows: new Map([['wf1', workflow]]),
    pricing: { perComputeSecond: 0.001, perCall: { 'http.request': 0.01 } },
  });

  it('clusters failures by node and normalised message, with evidence', () => {
    expect(insights.period).toMatchObject({ executions: 12, failed: 4 });
    expect(insights.failures[0]).toMatchObject({
      workflowId: 'wf1',
      nodeId: 'fetch',
      nodeType: 'http.request',
      pattern: 'GET <url> failed with status 503 after <n> ms',
      count: 3,
      share: 0.75,
    });
    expect(insights.failures[0]?.executionIds).toEqual(['f503-2', 'f503-1', 'f503-0']);
    expect(insights.failures[0]?.links).toContain('/api/v1/workspaces/ws1/executions/f503-2');
    expect(insights.failures[0]?.links).toContain(
      '/api/v1/workspaces/ws1/analytics/historical?metric=failed&workflowId=wf1&nodeId=fetch',
    );
    expect(insights.failures[1]).toMatchObject({
      nodeId: 'mail',
      count: 1,
      pattern: 'Mailbox <value> is full (quota <n> MB)',
    });
  });

  it('finds nodes that failed and then succeeded on a retry', () => {
    expect(insights.flaky.map((f) => [f.nodeId, f.recovered, f.executionIds])).toEqual([
      ['mail', 1, ['retry-of-mail']],
      ['fetch', 1, ['ok2']],
    ]);
  });

  it('ranks slow nodes by p95 and cost drivers by priced compute and calls', () => {
    expect(insights.slow[0]).toMatchObject({ nodeId: 'fetch', p95Ms: 5000, runs: 11 });
    expect(insights.slow[0]?.executionIds[0]).toBe('slow');
    expect(insights.slow[0]?.links.at(-1)).toContain('metric=p95Ms');
    expect(insights.costDrivers[0]).toMatchObject({ nodeId: 'fetch', nodeType: 'http.request', runs: 11 });
    expect(insights.costDrivers[0]?.cost).toBeCloseTo(5.94 * 0.001 + 11 * 0.01, 6);
    expect(insights.costDrivers[0]?.share).toBeGreaterThan(0.9);
  });

  it('is empty without executions', () => {
    expect(workflowInsights({ workspaceId: 'ws1', executions: [], nodeRuns: [] })).toEqual({
      period: { from: 0, to: 0, executions: 0, failed: 0 },
      failures: [],
      flaky: [],
      slow: [],
      costDrivers: [],
    });
  });
});

describe('normaliseError', () => {
  it('replaces ids, numbers, URLs and quoted values but keeps HTTP statuses', () => {
    expect(normaliseError('Customer cus_A1b2C3d4E5 not found (request 3f2a9c1e-1111-2222-3333-444455556666)')).toBe(
      'Customer <id> not found (request <id>)',
    );
    expect(normaliseError('HTTP 404 from https://x.io/a?b=1 at 2026-01-02T03:04:05Z')).toBe(
      'HTTP 404 from <url> at <time>',
    );
  });
});
