import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from './chat-provider.js';
import { OpenAiCompatibleProvider } from './openai-compatible-provider.js';
import { OpenAiTestServer } from './openai-test-server.test-support.js';

let server: OpenAiTestServer;
let slept: number[];
beforeAll(async () => {
  server = await new OpenAiTestServer().start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  slept = [];
});
const provider = (o: Partial<ConstructorParameters<typeof OpenAiCompatibleProvider>[0]> = {}) =>
  new OpenAiCompatibleProvider({
    baseUrl: `${server.url}/`,
    model: 'local-model',
    apiKey: 'sk-local',
    sleep: async (ms) => void slept.push(ms),
    ...o,
  });
const user = [{ role: 'user' as const, content: 'hi' }];

describe('OpenAiCompatibleProvider', () => {
  it('streams content to onDelta and returns tool calls and usage', async () => {
    server.script.push({
      content: 'Building it',
      toolCalls: [{ name: 'add_node', args: { type: 'weft.manualTrigger' } }],
      usage: { prompt_tokens: 50, completion_tokens: 7 },
    });
    const deltas: string[] = [];
    const r = await provider().chat({
      messages: user,
      onDelta: (d) => deltas.push(d),
      tools: [{ name: 'add_node', description: 'd', parameters: { type: 'object' } }],
    });
    expect(deltas).toEqual(['Bui', 'lding it']);
    expect(r).toMatchObject({
      content: 'Building it',
      toolCalls: [{ name: 'add_node', arguments: '{"type":"weft.manualTrigger"}' }],
      finishReason: 'tool_calls',
      model: 'local-model',
      usage: { promptTokens: 50, completionTokens: 7 },
    });
    const sent = server.requests[0];
    expect(sent?.headers.authorization).toBe('Bearer sk-local');
    expect(sent?.body).toMatchObject({
      model: 'local-model',
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: { name: 'add_node' } }],
    });
  });

  it('sends tool results and JSON-schema response formats, and reads answers that are not streamed', async () => {
    server.script.push({ content: '{"ok":true}' });
    const r = await provider({ stream: false }).chat({
      messages: [
        ...user,
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'finish', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'c1', content: '{"ok":true}' },
      ],
      responseFormat: { name: 'answer', schema: { type: 'object' } },
    });
    expect(r.content).toBe('{"ok":true}');
    expect(server.requests[0]?.body).toMatchObject({
      stream: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'finish', arguments: '{}' } }],
        },
        { role: 'tool', content: '{"ok":true}', tool_call_id: 'c1' },
      ],
    });
  });

  it('retries 429 (after Retry-After) and 5xx with doubling backoff, then succeeds', async () => {
    server.script.push(
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 503 },
      { status: 502 },
      { content: 'ok' },
    );
    const r = await provider({ backoffMs: 100 }).chat({ messages: user });
    expect(r.content).toBe('ok');
    expect(slept).toEqual([2000, 200, 400]);
    expect(server.requests).toHaveLength(4);
  });

  it('gives up after maxRetries and does not retry a 400', async () => {
    server.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(provider({ maxRetries: 2 }).chat({ messages: user })).rejects.toThrow(/answered 500: scripted 500/);
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    server.script.push({ status: 400, raw: '{"error":{"message":"bad tools"}}' });
    const e = await provider()
      .chat({ messages: user })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({ status: 400, retryable: false, message: expect.stringContaining('bad tools') });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a request that never answers', async () => {
    server.script.push({ hang: true });
    await expect(provider({ timeoutMs: 200, maxRetries: 0 }).chat({ messages: user })).rejects.toThrow(
      /did not answer within 200 ms/,
    );
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new OpenAiCompatibleProvider({ baseUrl: 'localhost:1234', model: 'm' })).toThrow(
      /baseUrl must be an http/,
    );
  });
});
