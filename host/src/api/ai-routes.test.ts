import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

let t: TestHost;
let token: string;
let ws: string;
beforeAll(async () => {
  t = await startTestHost();
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});
afterAll(() => t.close());

const node = (id: string, type: string, parameters: object = {}) => ({ id, name: id, type, parameters });

describe('AI routes', () => {
  it('generates a workflow the host accepts, listing what it could not resolve', async () => {
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'When a webhook is called at /orders, send an email to ops@example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('offline');
    expect(res.body.workflow.nodes.map((n: { type: string }) => n.type)).toEqual(['weft.webhook', 'email.sendEmail']);
    expect(res.body.unresolved).toEqual([expect.objectContaining({ parameter: 'subject' })]);
    const saved = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: { ...res.body.workflow, id: 'generated-1' },
    });
    expect(saved.status).toBe(201);
  });

  it('rejects a blank prompt and unknown fields naming them', async () => {
    const blank = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, { token, body: { prompt: '   ' } });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('/prompt');
    const extra = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'x', model: 'y' },
    });
    expect(extra.status).toBe(400);
  });

  it('reports findings with patches and next-node recommendations for stored workflows', async () => {
    const workflow = {
      id: 'ai-opt',
      name: 'Has an orphan',
      nodes: [
        node('t', 'weft.manualTrigger'),
        node('fetch', 'http.request', { url: 'https://example.com' }),
        node('orphan', 'weft.noOp'),
      ],
      connections: [{ source: 't', target: 'fetch' }],
    };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: workflow })).status).toBe(201);
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: {
        id: 'ai-other',
        name: 'Fetch and tell',
        nodes: [
          node('a', 'weft.manualTrigger'),
          node('b', 'http.request', { url: 'https://example.com' }),
          node('c', 'weft.noOp'),
        ],
        connections: [
          { source: 'a', target: 'b' },
          { source: 'b', target: 'c' },
        ],
      },
    });
    const opt = await t.call('POST', `/api/v1/workspaces/${ws}/ai/optimize`, { token, body: { workflowId: 'ai-opt' } });
    expect(opt.status).toBe(200);
    expect(opt.body.items).toEqual([
      expect.objectContaining({
        code: 'unreachable-node',
        nodeIds: ['orphan'],
        patch: [{ op: 'remove', path: '/nodes/2' }],
      }),
    ]);
    const rec = await t.call('POST', `/api/v1/workspaces/${ws}/ai/recommendations`, {
      token,
      body: { workflowId: 'ai-opt', afterNodeId: 'fetch' },
    });
    expect(rec.status).toBe(200);
    expect(rec.body.items.map((r: { type: string }) => r.type)).toContain('weft.noOp');
    const missing = await t.call('POST', `/api/v1/workspaces/${ws}/ai/optimize`, {
      token,
      body: { workflowId: 'nope' },
    });
    expect(missing.status).toBe(404);
  });

  it('suggests connectors for a goal and flags external calls with no error handling', async () => {
    const url = `/api/v1/workspaces/${ws}/ai/recommendations`;
    const both = await t.call('POST', url, {
      token,
      body: { workflowId: 'ai-opt', goal: 'when a Stripe payment fails, post a message on Slack' },
    });
    expect(both.status).toBe(200);
    expect(both.body.connectors.slice(0, 2).map((c: { type: string }) => c.type)).toEqual([
      'stripe.event',
      'slack.sendMessage',
    ]);
    expect(both.body.errorHandling).toEqual([
      expect.objectContaining({
        nodeId: 'fetch',
        patch: [{ op: 'add', path: '/nodes/1/retry', value: { attempts: 3, baseMs: 1000 } }],
      }),
    ]);
    const goalOnly = await t.call('POST', url, { token, body: { goal: 'append a row to a spreadsheet' } });
    expect(goalOnly.status).toBe(200);
    expect(goalOnly.body).toMatchObject({ items: [], errorHandling: [] });
    expect(goalOnly.body.connectors[0].type).toBe('googleSheets.appendRow');
    const neither = await t.call('POST', url, { token, body: {} });
    expect(neither.status).toBe(400);
    expect(JSON.stringify(neither.body)).toContain('/workflowId');
  });
});

describe('AI edits, streaming and insights', () => {
  const stored = {
    id: 'ai-edit',
    name: 'Orders',
    nodes: [
      { ...node('hook', 'weft.webhook', { path: 'ai-edit' }), position: [0, 0] },
      { ...node('wait', 'weft.wait', { amount: 1, unit: 'seconds' }), position: [260, 0] },
      {
        ...node('check', 'weft.if', {
          conditions: [{ left: '{{ $json.amount }}', operator: 'gt', right: '100', type: 'number' }],
        }),
        position: [520, 0],
      },
      { ...node('big', 'weft.noOp'), position: [780, 0] },
    ],
    connections: [
      { source: 'hook', target: 'wait' },
      { source: 'wait', target: 'check' },
      { source: 'check', target: 'big', sourcePort: 'true' },
    ],
  };

  it('edits a stored workflow from plain words, returning the diff of a workflow the host accepts', async () => {
    const created = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: stored });
    expect(created.body).toMatchObject({ id: 'ai-edit' });
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'remove the wait, then add a Slack message to #small after the IF', workflowId: 'ai-edit' },
    });
    expect(res.status).toBe(200);
    expect(res.body.diff.removedNodes.map((n: { id: string }) => n.id)).toEqual(['wait']);
    expect(res.body.diff.addedNodes).toEqual([
      expect.objectContaining({
        type: 'slack.sendMessage',
        parameters: expect.objectContaining({ channel: '#small' }),
      }),
    ]);
    const slack = res.body.diff.addedNodes[0].id;
    expect(res.body.diff.addedConnections).toEqual([
      { source: 'hook', target: 'check' },
      { source: 'check', target: slack, sourcePort: 'false' },
    ]);
    const saved = await t.call('PUT', `/api/v1/workspaces/${ws}/workflows/ai-edit`, { token, body: res.body.workflow });
    expect(saved.status).toBe(200);
    const missing = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'remove the wait', workflowId: 'nope' },
    });
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).toContain('/workflowId');
  });

  it('streams progress as Server-Sent Events, then the result', async () => {
    const res = await fetch(`${t.base}/api/v1/workspaces/${ws}/ai/generate/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt: 'When a webhook is called, if amount > 100 send to Slack #big otherwise respond ok',
      }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((block) => ({
        event: /event: (.*)/.exec(block)?.[1],
        data: JSON.parse(/data: (.*)/.exec(block)?.[1] ?? 'null'),
      }));
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === 'node-added').length).toBe(4);
    expect(names.indexOf('connected')).toBeGreaterThan(names.indexOf('node-added'));
    const result = events.at(-1);
    expect(result?.event).toBe('result');
    expect(result?.data.workflow.nodes.map((n: { type: string }) => n.type)).toEqual([
      'weft.webhook',
      'weft.if',
      'slack.sendMessage',
      'weft.respondToWebhook',
    ]);
    const bad = await fetch(`${t.base}/api/v1/workspaces/${ws}/ai/generate/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: '' }),
    });
    expect(bad.status).toBe(400);
  });

  it('reports failure causes, flaky and slow nodes with links to the executions', async () => {
    const store = t.host.runtime.executions;
    const base = Date.now() - 60_000;
    for (let i = 0; i < 4; i++) {
      const id = `ai-ins-${i}`;
      const failed = i < 3;
      const startedAt = base + i * 1000;
      await store.create({
        id,
        workspaceId: ws,
        workflowId: 'ai-edit',
        workflowVersion: 1,
        status: 'running',
        mode: 'webhook',
        input: { main: [] },
        startedAt,
        depth: 0,
      });
      const error = {
        message: `Order ${1000 + i} rejected by https://shop.example.com/o/${i}`,
        code: 'NODE_FAILED',
        nodeId: 'check',
      };
      await store.checkpoint(
        id,
        [
          {
            executionId: id,
            seq: 0,
            nodeId: 'hook',
            nodeName: 'hook',
            runIndex: 0,
            status: 'succeeded',
            attempts: 1,
            startedAt,
            finishedAt: startedAt + 2,
          },
          {
            executionId: id,
            seq: 1,
            nodeId: 'check',
            nodeName: 'check',
            runIndex: 0,
            status: failed ? 'failed' : 'succeeded',
            attempts: failed ? 1 : 2,
            ...(failed ? { error } : {}),
            startedAt: startedAt + 2,
            finishedAt: startedAt + 2 + 100 * (i + 1),
          },
        ],
        { status: failed ? 'failed' : 'succeeded', finishedAt: startedAt + 500, ...(failed ? { error } : {}) },
      );
    }
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/ai/insights`, {
      token,
      body: { workflowId: 'ai-edit' },
    });
    expect(res.status).toBe(200);
    expect(res.body.failures).toEqual([
      expect.objectContaining({
        nodeId: 'check',
        nodeType: 'weft.if',
        pattern: 'Order <n> rejected by <url>',
        count: 3,
        executionIds: ['ai-ins-2', 'ai-ins-1', 'ai-ins-0'],
      }),
    ]);
    expect(res.body.failures[0].links[0]).toBe(`/api/v1/workspaces/${ws}/executions/ai-ins-2`);
    const evidence = await t.call('GET', res.body.failures[0].links[0], { token });
    expect(evidence.status).toBe(200);
    expect(res.body.flaky).toEqual([
      expect.objectContaining({ nodeId: 'check', recovered: 1, executionIds: ['ai-ins-3'] }),
    ]);
    expect(res.body.slow[0]).toMatchObject({ nodeId: 'check', p95Ms: 400, runs: 4 });
    const bad = await t.call('POST', `/api/v1/workspaces/${ws}/ai/insights`, { token, body: { from: 10, to: 5 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/from');
  });
});
