import { NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { loadOptions } from '../../kit/load-options.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { collectChatStream, openAiConnector } from './openai-connector.js';

let llm: LocalServer;
beforeAll(async () => {
  llm = await startLocalServer((req, res) => {
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
