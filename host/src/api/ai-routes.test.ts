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
});
