import type { ServerResponse } from 'node:http';
import { builtinNodeTypes, type EngineEvent, type JsonValue, NodeRegistry, WorkflowEngine } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { ResponseTooLargeError } from '../../http/http-error.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { loadOptions } from '../../kit/load-options.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { collectChatStream } from './chat-stream-parser.js';
import { openAiConnector } from './openai-connector.js';

const sse = (res: ServerResponse, chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
const delta = (model: string, content: string) => ({ model, choices: [{ delta: { content }, finish_reason: null }] });

// The streaming server holds its later chunks until the test has seen the first one as progress.
let firstDeltaSeen: Promise<void> = Promise.resolve();
let streamClosed: Promise<void> = Promise.resolve();

let llm: LocalServer;
beforeAll(async () => {
  llm = await startLocalServer(async (req, res) => {
    if (req.headers.authorization !== 'Bearer sk-local') {
      return sendJson(res, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    }
    if (req.url === '/v1/models')
      return sendJson(res, 200, { object: 'list', data: [{ id: 'qwen2.5' }, { id: 'gpt-4o-mini' }, { id: 'gpt-4o' }] });
    const body = JSON.parse(req.body.toString());
    if (body.model === 'missing')
      return sendJson(res, 404, { error: { message: 'The model `missing` does not exist', code: 'model_not_found' } });
    const last = body.messages.at(-1).content as string;
    const answer = body.response_format ? JSON.stringify({ echo: last }) : `You said: ${last}`;
    if (body.stream && body.model === 'live') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, delta('live', 'You '));
      await firstDeltaSeen;
      for (const part of ['said: ', last, ' ✓']) sse(res, delta('live', part));
      sse(res, { model: 'live', choices: [{ delta: {}, finish_reason: 'stop' }], usage: { total_tokens: 4 } });
      return res.end('data: [DONE]\n\n');
    }
    if (body.stream && body.model === 'broken') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, delta('broken', 'fine so far'));
      return res.end('data: {"choices": [oops\n\n');
    }
    if (body.stream && body.model === 'endless') {
      streamClosed = new Promise((r) => res.on('close', () => r()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, delta('endless', 'and on'));
      return;
    }
    if (body.stream && body.model === 'verbose') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sse(res, delta('verbose', 'word 0 '));
      await firstDeltaSeen;
      for (let i = 1; i < 200; i++) sse(res, delta('verbose', `word ${i} `));
      return res.end('data: [DONE]\n\n');
    }
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const part of [answer.slice(0, 4), answer.slice(4)]) {
        res.write(
          `data: ${JSON.stringify({ model: body.model, choices: [{ delta: { content: part }, finish_reason: null }] })}\n\n`,
        );
      }
      res.write(
        `data: ${JSON.stringify({ model: body.model, choices: [{ delta: {}, finish_reason: 'stop' }], usage: { total_tokens: 9 } })}\n\n`,
      );
      return res.end('data: [DONE]\n\n');
    }
    sendJson(res, 200, {
      model: body.model,
      choices: [{ message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      usage: { total_tokens: 7, system_seen: body.messages[0].role === 'system' },
    });
  });
});
afterAll(() => llm.close());

const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
const credential = (key = 'sk-local') => ({
  id: 'o',
  type: 'openai.apiKey',
  data: { token: key, baseUrl: `${llm.url}/v1/` },
});
const chat = new NodeRegistry().register(...connectorNodeTypes(openAiConnector, runtime)).get('openai.chat')!;

describe('OpenAI-compatible chat', () => {
  it('answers a prompt with a system message against any base URL', async () => {
    const [out] = await runNode(chat, {
      params: { model: 'gpt-4o-mini', system: 'Be brief', prompt: 'hi', timeoutMs: 5000 },
      credential: credential(),
    });
    expect(out?.json).toEqual({
      content: 'You said: hi',
      finishReason: 'stop',
      model: 'gpt-4o-mini',
      usage: { total_tokens: 7, system_seen: true },
    });
  });

  it('collects a streamed answer and parses JSON mode', async () => {
    const [out] = await runNode(chat, {
      params: { model: 'qwen2.5', prompt: 'yo', stream: true, jsonMode: true, timeoutMs: 5000 },
      credential: credential(),
    });
    expect(out?.json).toEqual({
      content: '{"echo":"yo"}',
      finishReason: 'stop',
      model: 'qwen2.5',
      usage: { total_tokens: 9 },
      json: { echo: 'yo' },
    });
    expect(() => collectChatStream('data: {oops\n\n')).toThrow(/not JSON/);
  });

  it('streams: each piece is a progress event, in order, before the node finishes; the output is the whole answer', async () => {
    let markSeen!: () => void;
    firstDeltaSeen = new Promise((r) => {
      markSeen = r;
    });
    const progress: JsonValue[] = [];
    const [out] = await runNode(chat, {
      params: { model: 'live', prompt: 'héllo', stream: true, timeoutMs: 5000 },
      credential: credential(),
      onProgress: (data) => {
        progress.push(data);
        markSeen();
      },
    });
    // The server held the rest until the first piece had arrived as progress; later pieces may come together.
    expect(progress[0]).toEqual({ delta: 'You ' });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.map((p) => (p as { delta: string }).delta).join('')).toBe('You said: héllo ✓');
    expect(out?.json).toEqual({
      content: 'You said: héllo ✓',
      finishReason: 'stop',
      model: 'live',
      usage: { total_tokens: 4 },
    });
  });

  it('streams through the engine: node:progress events come between node:started and node:executed', async () => {
    firstDeltaSeen = Promise.resolve();
    const registry = new NodeRegistry().register(...builtinNodeTypes, ...connectorNodeTypes(openAiConnector, runtime));
    const engine = new WorkflowEngine({ registry, credentials: { resolve: async () => credential() } });
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const result = await engine.execute({
      name: 'Ask',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        {
          id: 'c',
          name: 'Chat',
          type: 'openai.chat',
          parameters: { model: 'live', prompt: 'hi', stream: true, timeoutMs: 5000 },
          credentials: { auth: 'o' },
        },
      ],
      connections: [{ source: 't', target: 'c' }],
    });
    expect(result.output[0]?.json.content).toBe('You said: hi ✓');
    const chatEvents = events.filter((e) => 'nodeId' in e && e.nodeId === 'c').map((e) => e.type);
    expect(chatEvents[0]).toBe('node:started');
    expect(chatEvents.at(-1)).toBe('node:executed');
    expect(chatEvents.slice(1, -1).every((t) => t === 'node:progress')).toBe(true);
    expect(chatEvents.length).toBeGreaterThanOrEqual(3);
    const deltas = events.flatMap((e) => (e.type === 'node:progress' ? [(e.data as { delta: string }).delta] : []));
    expect(deltas.join('')).toBe('You said: hi ✓');
  });

  it('fails a stream with a malformed chunk, naming it', async () => {
    const progress: JsonValue[] = [];
    await expect(
      runNode(chat, {
        params: { model: 'broken', prompt: 'x', stream: true, timeoutMs: 5000 },
        credential: credential(),
        onProgress: (d) => progress.push(d),
      }),
    ).rejects.toThrow('Chat stream sent an event that is not JSON (event 2): {"choices": [oops');
    expect(progress).toEqual([{ delta: 'fine so far' }]);
  });

  it('stops the stream when the execution is cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('Execution cancelled by the user');
    await expect(
      runNode(chat, {
        params: { model: 'endless', prompt: 'x', stream: true, timeoutMs: 60_000 },
        credential: credential(),
        signal: controller.signal,
        onProgress: () => controller.abort(reason),
      }),
    ).rejects.toThrow('Execution cancelled by the user');
    await streamClosed; // the server saw the connection go
  });

  it('applies the response size limit to the stream', async () => {
    let markSeen!: () => void;
    firstDeltaSeen = new Promise((r) => {
      markSeen = r;
    });
    const small = { http: createHttpClient({ allow: ['127.0.0.1/32'], maxResponseBytes: 4096 }) };
    const limited = new NodeRegistry().register(...connectorNodeTypes(openAiConnector, small)).get('openai.chat')!;
    const progress: JsonValue[] = [];
    const err = await runNode(limited, {
      params: { model: 'verbose', prompt: 'x', stream: true, timeoutMs: 5000 },
      credential: credential(),
      onProgress: (d) => {
        progress.push(d);
        markSeen();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(200);
  });

  it('reports API errors with their code, and bad input before calling', async () => {
    await expect(
      runNode(chat, { params: { model: 'missing', prompt: 'x', timeoutMs: 5000 }, credential: credential() }),
    ).rejects.toThrow('Chat API error (HTTP 404, model_not_found): The model `missing` does not exist');
    await expect(
      runNode(chat, { params: { model: 'gpt-4o', prompt: 'x', timeoutMs: 5000 }, credential: credential('sk-bad') }),
    ).rejects.toThrow(/invalid_api_key/);
    await expect(
      runNode(chat, {
        params: { model: 'gpt-4o', messages: [{ content: 'no role' }], timeoutMs: 5000 },
        credential: credential(),
      }),
    ).rejects.toThrow('Chat: Messages must be an array of { role, content } objects');
    await expect(
      runNode(chat, { params: { model: 'gpt-4o', timeoutMs: 5000 }, credential: credential() }),
    ).rejects.toThrow('Chat: give a User message or Messages');
  });

  it('offers models in a searchable dropdown', async () => {
    expect(
      await loadOptions(openAiConnector, 'listModels', { search: 'gpt', credential: credential() }, runtime),
    ).toEqual([
      { value: 'gpt-4o', label: 'gpt-4o' },
      { value: 'gpt-4o-mini', label: 'gpt-4o-mini' },
    ]);
  });
});
