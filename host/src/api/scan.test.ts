import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

const token = `ghp_${'Zq4Xw8Rt2Y'.repeat(3)}Zq4Xw8`;

describe('POST /workspaces/:id/scan', () => {
  let t: TestHost;
  let auth: string;
  let ws: string;

  beforeAll(async () => {
    t = await startTestHost();
    auth = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token: auth })).body.items[0].id;
    const wf = orderWebhookWorkflow('scan-me', 'scan-me');
    const set = wf.nodes.find((n) => n.id === 'tag-large');
    if (set) set.parameters = { fields: [{ name: 'token', value: token }] };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token: auth, body: wf })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports the planted secret and the open webhook with pointers, and SARIF on request', async () => {
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/scan`, {
      token: auth,
      body: { workflowId: 'scan-me', format: 'sarif' },
    });
    expect(res.status).toBe(200);
    const ids = res.body.findings.map((f: { ruleId: string; nodeId?: string }) => `${f.ruleId}@${f.nodeId ?? ''}`);
    expect(ids).toContain('secret/github-token@tag-large');
    expect(ids).toContain('trigger/webhook-without-auth@hook');
    const secret = res.body.findings.find((f: { ruleId: string }) => f.ruleId === 'secret/github-token');
    expect(secret.pointer).toMatch(/^\/nodes\/\d+\/parameters\/fields\/0\/value$/);
    expect(res.text).not.toContain(token);
    expect(res.body.sarif.version).toBe('2.1.0');
  });

  it('answers 404 for an unknown workflow and 400 naming a bad field', async () => {
    const missing = await t.call('POST', `/api/v1/workspaces/${ws}/scan`, {
      token: auth,
      body: { workflowId: 'nope' },
    });
    expect(missing.status).toBe(404);
    const bad = await t.call('POST', `/api/v1/workspaces/${ws}/scan`, {
      token: auth,
      body: { workflowId: 'scan-me', format: 'xml' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('format');
  });
});
