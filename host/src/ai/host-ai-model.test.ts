import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiTestServer } from '../../../packages/ai/src/model/openai-test-server.test-support.js';
import { aiSettings } from '../config/ai-settings.js';
import { ConfigError } from '../config/config-error.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

let server: OpenAiTestServer;
let t: TestHost;
let token: string;
let ws: string;
beforeAll(async () => {
  server = await new OpenAiTestServer().start();
  t = await startTestHost(modelEnv('6'));
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

function modelEnv(rateLimit: string): Record<string, string> {
  return {
    WEFT_AI_BASE_URL: server.url,
    WEFT_AI_MODEL: 'scripted-model',
    WEFT_AI_API_KEY: 'sk-test-key',
    WEFT_AI_RATE_LIMIT: rateLimit,
  };
}

const finish = { toolCalls: [{ name: 'finish', args: { explanation: 'done' } }] };

describe('the host with WEFT_AI_* set', () => {
  it('generates through the configured model, caches the answer in SQL and records usage per workspace', async () => {
    server.script.push(
      {
        toolCalls: [
          { name: 'add_node', args: { type: 'weft.webhook', parameters: { path: 'orders' } } },
          { name: 'add_node', args: { type: 'slack.sendMessage', parameters: { channel: '#orders' } } },
          { name: 'connect', args: { source: 'n1', target: 'n2' } },
        ],
      },
      finish,
      { toolCalls: [{ name: 'set_parameter', args: { node: 'n2', name: 'text', value: 'New order' } }] },
      finish,
    );
    const prompt = 'When an order webhook arrives, tell #orders on Slack';
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, { token, body: { prompt } });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('model');
    expect(res.body.workflow.nodes.map((n: { type: string }) => n.type)).toEqual(['weft.webhook', 'slack.sendMessage']);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test-key');
    expect(server.requests[0]?.body.model).toBe('scripted-model');
    const saved = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: { ...res.body.workflow, id: 'from-model' },
    });
    expect(saved.status).toBe(201);

    const again = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: `  ${prompt.toLowerCase()} ` },
    });
    expect(again.body.source).toBe('cache');
    expect(server.requests).toHaveLength(4);
    const { h } = t.host.runtime;
    expect(await h.db.selectFrom('ai_response_cache').select('key').execute()).toHaveLength(1);
    const usage = await h.db.selectFrom('ai_usage').selectAll().where('workspace_id', '=', ws).execute();
    expect(usage).toHaveLength(4);
    const roi = await t.call('GET', `/api/v1/workspaces/${ws}/analytics/roi?perThousandAiTokens=2`, { token });
    expect(roi.status).toBe(200);
    expect(roi.body.workspace.cost.ai).toBeCloseTo((4 * 120 * 2) / 1000, 6);
  });

  it('edits a stored workflow through the model, then answers 429 past the per-workspace limit', async () => {
    server.script.push(
      {
        toolCalls: [
          { name: 'add_node', args: { type: 'weft.noOp', name: 'Audit' } },
          { name: 'connect', args: { source: 'n2', target: 'Audit' } },
        ],
      },
      finish,
    );
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'add an audit step at the end', workflowId: 'from-model' },
    });
    expect(res.status).toBe(200);
    expect(res.body.diff.addedNodes.map((n: { name: string }) => n.name)).toEqual(['Audit']);
    expect(res.body.diff.addedConnections).toEqual([{ source: 'n2', target: 'n3' }]);
    const limited = await t.call('POST', `/api/v1/workspaces/${ws}/ai/generate`, {
      token,
      body: { prompt: 'something new entirely' },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('ai-rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 502 when the model fails, naming it', async () => {
    server.script.push({ status: 400, raw: '{"error":{"message":"model not found"}}' });
    const other = await startTestHost(modelEnv('100'));
    try {
      const tok = await other.login('owner@example.com', 'owner-password');
      const w = (await other.call('GET', '/api/v1/workspaces', { token: tok })).body.items[0].id;
      const res = await other.call('POST', `/api/v1/workspaces/${w}/ai/generate`, {
        token: tok,
        body: { prompt: 'x y z' },
      });
      expect(res.status).toBe(502);
      expect(res.body.detail).toContain('model not found');
    } finally {
      await other.close();
    }
  });
});

describe('aiSettings', () => {
  it('defaults to the offline planner and names bad variables', () => {
    expect(aiSettings({})).toEqual({ timeoutMs: 60_000, rateLimitPerMinute: 30 });
    expect(() => aiSettings({ WEFT_AI_BASE_URL: 'ftp://x', WEFT_AI_RATE_LIMIT: '0' })).toThrow(ConfigError);
    try {
      aiSettings({ WEFT_AI_BASE_URL: 'ftp://x', WEFT_AI_RATE_LIMIT: '0' });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        'WEFT_AI_BASE_URL must be an http(s) URL, got "ftp://x"',
        'WEFT_AI_BASE_URL and WEFT_AI_MODEL must be set together (neither: the offline planner)',
        'WEFT_AI_RATE_LIMIT must be an integer from 1 to 100000, got "0"',
      ]);
    }
  });
});
