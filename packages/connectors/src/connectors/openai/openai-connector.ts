import type { JsonObject, JsonValue, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { HttpError } from '../../http/http-error.js';
import type { HttpClient, HttpRequest } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';
import { type ChatAnswer, ChatStreamParser } from './chat-stream-parser.js';

const DEFAULT_BASE = 'https://api.openai.com/v1';
const baseOf = (c: ResolvedCredential | { data: JsonObject } | undefined) =>
  String(c?.data.baseUrl || DEFAULT_BASE).replace(/\/$/, '');

async function call<T>(http: HttpClient, request: HttpRequest): Promise<T> {
  try {
    return (await http.request<T>(request)).body;
  } catch (err) {
    const e =
      err instanceof HttpError
        ? (err.body as { error?: { message?: string; type?: string; code?: string } })?.error
        : undefined;
    if (err instanceof HttpError && e?.message) {
      throw new Error(`Chat API error (HTTP ${err.status}${e.code ? `, ${e.code}` : ''}): ${e.message}`);
    }
    throw err;
  }
}

const apiKey = Auth.bearer({
  type: 'openai.apiKey',
  displayName: 'OpenAI-compatible API key',
  description: 'Works with OpenAI and any compatible server (Azure OpenAI, Ollama, vLLM, LiteLLM, ...).',
  fields: { baseUrl: Property.ShortText({ label: 'Base URL', default: DEFAULT_BASE, expressions: false }) },
  test: async ({ http, data, signal }) => {
    await call(http, { url: `${baseOf({ data })}/models`, signal });
  },
});

const chat = defineAction({
  name: 'chat',
  displayName: 'Chat completion',
  description: 'Asks a chat model and outputs its answer',
  sideEffects: 'once',
  props: {
    model: Property.Dropdown({ label: 'Model', loader: 'listModels', searchable: true, required: true }),
    system: Property.LongText({ label: 'System prompt' }),
    prompt: Property.LongText({ label: 'User message', description: 'Ignored when Messages is given' }),
    messages: Property.Json({ label: 'Messages', description: 'Full [{ role, content }] array' }),
    temperature: Property.Number({ label: 'Temperature', min: 0, max: 2 }),
    maxTokens: Property.Number({ label: 'Max tokens', integer: true, min: 1 }),
    jsonMode: Property.Checkbox({ label: 'Answer in JSON', default: false }),
    stream: Property.Checkbox({
      label: 'Stream',
      description: 'Shows the answer live as it is written (progress events); the output is the whole answer',
      default: false,
    }),
    timeoutMs: Property.Number({ label: 'Timeout (ms)', default: 120_000, integer: true, min: 1000 }),
  },
  sample: { content: 'Hello!', finishReason: 'stop', model: 'gpt-4o-mini', usage: { total_tokens: 12 } },
  run: async (ctx) => {
    const p = ctx.props;
    let messages: JsonValue[];
    if (p.messages !== undefined && p.messages !== null) {
      if (
        !Array.isArray(p.messages) ||
        p.messages.some((m) => !m || typeof m !== 'object' || Array.isArray(m) || !m.role)
      ) {
        throw new Error('Chat: Messages must be an array of { role, content } objects');
      }
      messages = p.messages;
    } else {
      if (!p.prompt) throw new Error('Chat: give a User message or Messages');
      messages = [...(p.system ? [{ role: 'system', content: p.system }] : []), { role: 'user', content: p.prompt }];
    }
    const body: JsonObject = { model: p.model, messages };
    if (p.temperature !== undefined) body.temperature = p.temperature;
    if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
    if (p.jsonMode) body.response_format = { type: 'json_object' };
    if (p.stream) body.stream = true;
    const request: HttpRequest = {
      method: 'POST',
      url: `${baseOf(ctx.credential)}/chat/completions`,
      json: body,
      timeoutMs: p.timeoutMs,
      signal: ctx.signal,
    };
    await ctx.rateLimit();
    let answer: ChatAnswer;
    if (p.stream) {
      // One progress event per chunk read: pieces that arrive together are published together.
      let pending = '';
      const flush = () => {
        if (pending) ctx.progress({ delta: pending });
        pending = '';
      };
      const parser = new ChatStreamParser((delta) => {
        pending += delta;
      });
      const onChunk = (bytes: Uint8Array) => {
        try {
          parser.push(bytes);
        } finally {
          flush();
        }
      };
      await call(ctx.http, { ...request, onChunk });
      try {
        answer = parser.end();
      } finally {
        flush();
      }
    } else {
      const res = await call<{
        model?: string;
        usage?: JsonValue;
        choices?: { message?: { content?: string | null }; finish_reason?: string }[];
      }>(ctx.http, request);
      const choice = res.choices?.[0];
      if (!choice) throw new Error('Chat: the response has no choices');
      answer = {
        content: choice.message?.content ?? '',
        finishReason: choice.finish_reason ?? null,
        model: res.model ?? null,
        usage: res.usage ?? null,
      };
    }
    const out: JsonObject = { ...answer };
    if (p.jsonMode) {
      try {
        out.json = JSON.parse(answer.content) as JsonValue;
      } catch {
        throw new Error(`Chat: JSON mode was on but the answer is not JSON: ${answer.content.slice(0, 100)}`);
      }
    }
    return out;
  },
});

/**
 * OpenAI-compatible chat completions (any base URL) with a searchable model dropdown. With
 * `stream` on, the answer is parsed as it arrives and its new text is published as a `{ delta }`
 * progress event per chunk read; the output is still the whole answer.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(openAiConnector, runtime));
 * ```
 */
export const openAiConnector = defineConnector({
  name: 'openai',
  displayName: 'OpenAI-compatible chat',
  description: 'Chat completions from OpenAI or any compatible server.',
  version: '1.0.0',
  icon: svgIcon(
    '#10A37F',
    '<path d="M12 4v4M12 16v4M4 12h4M16 12h4M6.5 6.5l2.8 2.8M14.7 14.7l2.8 2.8M17.5 6.5l-2.8 2.8M9.3 14.7l-2.8 2.8"/>',
  ),
  auth: apiKey,
  actions: [chat],
  optionLoaders: {
    listModels: async (ctx) => {
      const res = await call<{ data?: { id: string }[] }>(ctx.http, {
        url: `${baseOf(ctx.credential)}/models`,
        signal: ctx.signal,
      });
      return (res.data ?? []).map((m) => ({ value: m.id, label: m.id })).sort((a, b) => a.label.localeCompare(b.label));
    },
  },
});
