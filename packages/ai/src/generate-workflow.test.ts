import { ManualClock, MemoryRateLimiter, validateWorkflow } from '@weft/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogueSource } from './catalogue/catalogue-entry.js';
import { hostCatalogue } from './catalogue.test-support.js';
import { AiRateLimitedError, generateWorkflow } from './generate-workflow.js';
import { GenerationRefusedError } from './model/model-planner.js';
import { OpenAiCompatibleProvider } from './model/openai-compatible-provider.js';
import { OpenAiTestServer, type ScriptedAnswer } from './model/openai-test-server.test-support.js';
import { MemoryResponseCache } from './ports/response-cache.js';
import { MemoryUsageRecorder } from './ports/usage-recorder.js';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await new OpenAiTestServer().start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
});

const source = catalogueSource(hostCatalogue);
const provider = () => new OpenAiCompatibleProvider({ baseUrl: server.url, model: 'gpt-4o-mini', maxRetries: 0 });
const prompt = 'Every hour fetch https://example.com/status and post it to #ops on Slack';
const build: ScriptedAnswer[] = [
  {
    content: 'Adding nodes',
    toolCalls: [
      { name: 'add_node', args: { type: 'weft.schedule', parameters: { mode: 'cron', cron: '0 * * * *' } } },
      { name: 'add_node', args: { type: 'http.request', parameters: { url: 'https://example.com/status' } } },
      { name: 'add_node', args: { type: 'slack.sendMessage', name: 'Tell ops', parameters: { channel: '#ops' } } },
    ],
  },
  {
    toolCalls: [
      { name: 'connect', args: { source: 'n1', target: 'n2' } },
      { name: 'connect', args: { source: 'n2', target: 'Tell ops' } },
    ],
  },
];
const finish = (extra: Record<string, unknown> = {}): ScriptedAnswer => ({
  toolCalls: [{ name: 'finish', args: { explanation: 'Hourly status to Slack', ...extra } }],
});
const toolResults = (i: number) =>
  ((server.requests[i]?.body.messages ?? []) as { role: string; content: string }[])
    .filter((m) => m.role === 'tool')
    .map((m) => m.content);

describe('generateWorkflow with a model', () => {
  it('builds through tool calls, repairs what validation finds, and streams progress', async () => {
    server.script.push(
      ...build,
      finish(),
      { toolCalls: [{ name: 'set_parameter', args: { node: 'Tell ops', name: 'text', value: '{{ $json.status }}' } }] },
      finish(),
    );
    const events: string[] = [];
    const r = await generateWorkflow(prompt, {
      catalogue: hostCatalogue,
      provider: provider(),
      onProgress: (e) => events.push(e.type === 'node-added' ? `+${e.node.type}` : e.type),
    });
    expect(validateWorkflow(r.workflow, source).valid).toBe(true);
    expect(r.workflow.nodes.map((n) => [n.type, n.name])).toEqual([
      ['weft.schedule', 'Schedule'],
      ['http.request', 'HTTP Request: HTTP Request'],
      ['slack.sendMessage', 'Tell ops'],
    ]);
    expect(r.workflow.nodes[2]?.parameters).toEqual({ channel: '#ops', text: '{{ $json.status }}' });
    expect(r).toMatchObject({ source: 'model', explanation: 'Hourly status to Slack', confidence: 0.8 });
    expect(events).toEqual([
      '+weft.schedule',
      '+http.request',
      '+slack.sendMessage',
      'connected',
      'connected',
      'parameter-set',
    ]);
    const repair = ((server.requests[3]?.body.messages ?? []) as { role: string; content: string }[]).at(-1);
    expect(repair?.role).toBe('user');
    expect(repair?.content).toContain('/nodes/2/parameters/text: Parameter "Text" (text) is required');
    expect(toolResults(1)).toEqual([
      '{"id":"n1","name":"Schedule"}',
      '{"id":"n2","name":"HTTP Request: HTTP Request"}',
      '{"id":"n3","name":"Tell ops"}',
    ]);
  });

  it('answers bad tool calls with an error the model can act on', async () => {
    server.script.push(
      {
        toolCalls: [
          { name: 'add_node', args: { type: 'acme.teleport' } },
          { name: 'connect', args: { source: 'n9', target: 'n1' } },
        ],
      },
      { toolCalls: [{ name: 'add_node', args: { type: 'weft.manualTrigger' } }] },
      finish(),
    );
    const r = await generateWorkflow('start by hand', { catalogue: hostCatalogue, provider: provider() });
    expect(r.workflow.nodes.map((n) => n.type)).toEqual(['weft.manualTrigger']);
    expect(toolResults(1)).toEqual([
      '{"error":"Unknown node type \\"acme.teleport\\""}',
      '{"error":"No node \\"n9\\" in the workflow"}',
    ]);
  });

  it('refuses a workflow that is still invalid after the repair rounds', async () => {
    const bad: ScriptedAnswer = {
      toolCalls: [
        { name: 'add_node', args: { type: 'http.request' } },
        { name: 'finish', args: {} },
      ],
    };
    server.script.push(bad, finish(), finish());
    const e = await generateWorkflow('fetch something', {
      catalogue: hostCatalogue,
      provider: provider(),
      maxRepairRounds: 2,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GenerationRefusedError);
    expect((e as GenerationRefusedError).problems).toEqual([
      expect.objectContaining({ path: '/nodes/0/parameters/url', code: 'missing-parameter' }),
    ]);
    expect(server.requests).toHaveLength(3);
  });

  it('caches by normalised prompt and context for the TTL, replaying progress', async () => {
    const clock = new ManualClock(1_000);
    const cache = new MemoryResponseCache(clock);
    const options = { catalogue: hostCatalogue, provider: provider(), cache, clock };
    server.script.push(
      ...build,
      finish({ unresolved: [] }),
      { toolCalls: [{ name: 'set_parameter', args: { node: 'n3', name: 'text', value: 'up' } }] },
      finish(),
    );
    const first = await generateWorkflow(prompt, options);
    const calls = server.requests.length;
    const events: string[] = [];
    const again = await generateWorkflow(`  ${prompt.toUpperCase()}  `, {
      ...options,
      onProgress: (e) => events.push(e.type),
    });
    expect(server.requests).toHaveLength(calls);
    expect(again).toEqual({ ...first, source: 'cache' });
    expect(events).toEqual(['node-added', 'node-added', 'node-added', 'connected', 'connected']);

    server.script.push({
      toolCalls: [
        { name: 'add_node', args: { type: 'weft.manualTrigger' } },
        { name: 'finish', args: {} },
      ],
    });
    const edited = await generateWorkflow(prompt, { ...options, context: { workflowId: 'wf-2' } });
    expect(edited.source).toBe('model');
    expect(server.requests).toHaveLength(calls + 1);

    await clock.advance(60 * 60_000);
    server.script.push({
      toolCalls: [
        { name: 'add_node', args: { type: 'weft.manualTrigger' } },
        { name: 'finish', args: {} },
      ],
    });
    expect((await generateWorkflow(prompt, options)).source).toBe('model');
    expect(server.requests).toHaveLength(calls + 2);
  });

  it('rate-limits model calls per workspace', async () => {
    const rateLimiter = new MemoryRateLimiter({ clock: new ManualClock(0) });
    const options = {
      catalogue: hostCatalogue,
      provider: provider(),
      rateLimiter,
      rateLimit: { limit: 2, windowMs: 60_000 },
    };
    server.script.push({ toolCalls: [{ name: 'add_node', args: { type: 'weft.manualTrigger' } }] }, finish());
    await generateWorkflow('start by hand', { ...options, workspaceId: 'ws-a' });
    const e = await generateWorkflow('start by hand', { ...options, workspaceId: 'ws-a' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AiRateLimitedError);
    expect(e).toMatchObject({ workspaceId: 'ws-a', retryAfterMs: expect.any(Number) });
    expect(server.requests).toHaveLength(2);
    server.script.push({
      toolCalls: [
        { name: 'add_node', args: { type: 'weft.manualTrigger' } },
        { name: 'finish', args: {} },
      ],
    });
    expect((await generateWorkflow('start by hand', { ...options, workspaceId: 'ws-b' })).source).toBe('model');
  });

  it('records tokens and cost per workspace', async () => {
    const usage = new MemoryUsageRecorder();
    server.script.push(
      {
        toolCalls: [{ name: 'add_node', args: { type: 'weft.manualTrigger' } }],
        usage: { prompt_tokens: 1000, completion_tokens: 100 },
      },
      { toolCalls: [{ name: 'finish', args: {} }], usage: { prompt_tokens: 1200, completion_tokens: 10 } },
    );
    await generateWorkflow('start by hand', {
      catalogue: hostCatalogue,
      provider: provider(),
      usage,
      workspaceId: 'ws-1',
      clock: new ManualClock(42),
      pricing: { 'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
    });
    expect(usage.entries[0]).toEqual({
      workspaceId: 'ws-1',
      model: 'gpt-4o-mini',
      promptTokens: 1000,
      completionTokens: 100,
      costUsd: 0.00021,
      at: 42,
    });
    expect(await usage.totals('ws-1')).toEqual({
      calls: 2,
      promptTokens: 2200,
      completionTokens: 110,
      costUsd: expect.closeTo(0.000396, 9),
    });
    expect((await usage.totals('ws-2')).calls).toBe(0);
  });

  it('uses the offline planner without a provider and rejects an empty prompt', async () => {
    const r = await generateWorkflow('When a webhook is called, post to #ops on Slack', { catalogue: hostCatalogue });
    expect(r.source).toBe('offline');
    expect(r.workflow.nodes.map((n) => n.type)).toEqual(['weft.webhook', 'slack.sendMessage']);
    await expect(generateWorkflow('  ', { catalogue: hostCatalogue })).rejects.toThrow(
      'prompt must be a non-empty string',
    );
  });
});
