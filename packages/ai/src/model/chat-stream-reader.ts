import { createParser } from 'eventsource-parser';
import type { ChatResponse, ToolCall } from './chat-provider.js';

interface StreamChunk {
  model?: string;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; code?: string | number };
  choices?: {
    delta?: {
      content?: string | null;
      tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
}

/**
 * Reads an OpenAI-compatible chat-completions stream (server-sent events) as its bytes arrive:
 * content deltas go to `onDelta` at once, tool-call fragments are joined by their `index`, and
 * `end()` returns the whole answer with the usage of the last chunk that carried one. Events may
 * be split anywhere across chunks; `[DONE]` ends the stream; a data field that is not JSON, or an
 * in-stream `error`, throws naming it. The SSE framing is `eventsource-parser`'s, as in
 * `ChatStreamParser` of @weft/connectors; this reader adds tool calls.
 *
 * @example
 * ```ts
 * const reader = new ChatStreamReader('gpt-4o-mini', (t) => process.stdout.write(t));
 * for await (const bytes of response.body) reader.push(bytes);
 * const { content, toolCalls, usage } = reader.end();
 * ```
 */
export class ChatStreamReader {
  readonly #decoder = new TextDecoder();
  readonly #onDelta: (text: string) => void;
  readonly #calls: ToolCall[] = [];
  readonly #sse = createParser({ onEvent: (event) => this.#dispatch(event.data) });
  #events = 0;
  #done = false;
  #content = '';
  #finishReason: string | null = null;
  #model: string;
  #usage = { promptTokens: 0, completionTokens: 0 };

  constructor(model: string, onDelta: (text: string) => void = () => {}) {
    this.#model = model;
    this.#onDelta = onDelta;
  }

  push(bytes: Uint8Array): void {
    if (!this.#done) this.#sse.feed(this.#decoder.decode(bytes, { stream: true }));
  }

  end(): ChatResponse {
    if (!this.#done) this.#sse.feed(`${this.#decoder.decode()}\n\n`);
    if (this.#events === 0) throw new Error('Chat stream ended without any event: the server sent no data');
    return {
      content: this.#content,
      toolCalls: this.#calls.filter(Boolean),
      finishReason: this.#finishReason,
      model: this.#model,
      usage: this.#usage,
    };
  }

  #dispatch(data: string): void {
    if (this.#done) return;
    this.#events++;
    if (data.trim() === '[DONE]') {
      this.#done = true;
      return;
    }
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(data) as StreamChunk;
    } catch {
      throw new Error(`Chat stream sent an event that is not JSON (event ${this.#events}): ${data.slice(0, 100)}`);
    }
    if (chunk.error) {
      const code = chunk.error.code ? ` (${chunk.error.code})` : '';
      throw new Error(`Chat stream reported an error${code}: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
    }
    if (chunk.model) this.#model = chunk.model;
    if (chunk.usage)
      this.#usage = {
        promptTokens: chunk.usage.prompt_tokens ?? 0,
        completionTokens: chunk.usage.completion_tokens ?? 0,
      };
    const choice = chunk.choices?.[0];
    if (choice?.finish_reason) this.#finishReason = choice.finish_reason;
    for (const part of choice?.delta?.tool_calls ?? []) {
      const i = part.index ?? this.#calls.length;
      const call = this.#calls[i] ?? { id: '', name: '', arguments: '' };
      this.#calls[i] = call;
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
    const delta = choice?.delta?.content;
    if (!delta) return;
    this.#content += delta;
    this.#onDelta(delta);
  }
}
