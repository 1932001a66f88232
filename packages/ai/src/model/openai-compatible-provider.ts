import {
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  ProviderError,
} from './chat-provider.js';
import { ChatStreamReader } from './chat-stream-reader.js';

/** Options of {@link OpenAiCompatibleProvider}. */
export interface OpenAiCompatibleOptions {
  /** Up to and including the version segment, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Whole-request limit, streaming included. Default 60 000 ms. */
  timeoutMs?: number;
  /** Further tries after a 429, a 5xx or a network error. Default 3. */
  maxRetries?: number;
  /** First backoff delay, doubled each retry (a `Retry-After` header wins). Default 500 ms. */
  backoffMs?: number;
  /** Largest backoff delay. Default 8 000 ms. */
  maxBackoffMs?: number;
  /** Stream answers (server-sent events). Default true. */
  stream?: boolean;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

function wireMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return {
      role: 'assistant',
      content: m.content,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  }
  return { role: m.role, content: m.content };
}

interface CompletionBody {
  model?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  choices?: {
    message?: { content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] };
    finish_reason?: string | null;
  }[];
}

/**
 * A {@link ChatProvider} for any OpenAI-compatible chat-completions endpoint: streaming (SSE),
 * tool calls, JSON-schema responses, a timeout for the whole request, and retries with
 * exponential backoff on 429 and 5xx answers and network errors (honouring `Retry-After`).
 *
 * @example
 * ```ts
 * const provider = new OpenAiCompatibleProvider({ baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5' });
 * const { workflow } = await generateWorkflow('Every hour fetch https://example.com', { catalogue, provider });
 * ```
 */
export class OpenAiCompatibleProvider implements ChatProvider {
  readonly model: string;
  readonly #o: Required<Omit<OpenAiCompatibleOptions, 'apiKey' | 'headers'>> &
    Pick<OpenAiCompatibleOptions, 'apiKey' | 'headers'>;

  constructor(options: OpenAiCompatibleOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError(`baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
    }
    this.model = options.model;
    this.#o = {
      timeoutMs: 60_000,
      maxRetries: 3,
      backoffMs: 500,
      maxBackoffMs: 8_000,
      stream: true,
      fetch: globalThis.fetch,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once(request);
      } catch (e) {
        const err = e as ProviderError;
        if (request.signal?.aborted || !(err instanceof ProviderError) || !err.retryable) throw e;
        if (attempt >= this.#o.maxRetries) throw e;
        const backoff = Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** attempt);
        await this.#o.sleep(Math.min(this.#o.maxBackoffMs, err.retryAfterMs ?? backoff));
      }
    }
  }

  async #once(request: ChatRequest): Promise<ChatResponse> {
    const stream = this.#o.stream;
    const body: Record<string, unknown> = {
      model: this.model,
      messages: request.messages.map(wireMessage),
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.tools?.length
        ? {
            tools: request.tools.map((t) => ({
              type: 'function',
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
          }
        : {}),
      ...(request.responseFormat
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema, strict: false },
            },
          }
        : {}),
    };
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const url = `${this.#o.baseUrl}/chat/completions`;
    let res: Response;
    try {
      res = await this.#o.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: stream ? 'text/event-stream' : 'application/json',
          ...(this.#o.apiKey ? { authorization: `Bearer ${this.#o.apiKey}` } : {}),
          ...this.#o.headers,
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (e) {
      throw this.#networkError(e, timeout, url);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {}
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ProviderError(
        `Model endpoint ${url} answered ${res.status}: ${message}`,
        res.status,
        res.status === 429 || res.status >= 500,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    try {
      if (stream && (res.headers.get('content-type') ?? '').includes('text/event-stream') && res.body) {
        const reader = new ChatStreamReader(this.model, request.onDelta);
        for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) reader.push(bytes);
        return reader.end();
      }
      const json = (await res.json()) as CompletionBody;
      const choice = json.choices?.[0];
      const content = choice?.message?.content ?? '';
      if (content) request.onDelta?.(content);
      return {
        content,
        toolCalls: (choice?.message?.tool_calls ?? []).map((c) => ({
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
        })),
        finishReason: choice?.finish_reason ?? null,
        model: json.model ?? this.model,
        usage: { promptTokens: json.usage?.prompt_tokens ?? 0, completionTokens: json.usage?.completion_tokens ?? 0 },
      };
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      if (signal.aborted) throw this.#networkError(e, timeout, url);
      throw new ProviderError(
        `Model endpoint ${url} sent an answer that cannot be read: ${(e as Error).message}`,
        res.status,
        false,
      );
    }
  }

  #networkError(e: unknown, timeout: AbortSignal, url: string): ProviderError {
    if (timeout.aborted)
      return new ProviderError(`Model endpoint ${url} did not answer within ${this.#o.timeoutMs} ms`, undefined, true);
    return new ProviderError(`Model endpoint ${url} could not be reached: ${(e as Error).message}`, undefined, true);
  }
}
