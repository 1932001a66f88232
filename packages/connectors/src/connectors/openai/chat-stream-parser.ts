import type { JsonValue } from '@weft/engine';
import { createParser } from 'eventsource-parser';

/**
 * A chat answer: the streamed one once joined, or a non-streamed one.
 *
 * @example
 * ```ts
 * const answer: ChatAnswer = { content: 'Hi', finishReason: 'stop', model: 'gpt-4o-mini', usage: null };
 * ```
 */
export interface ChatAnswer {
  content: string;
  finishReason: string | null;
  model: string | null;
  usage: JsonValue;
}

interface ChatChunk {
  model?: string;
  usage?: JsonValue;
  error?: { message?: string; code?: string | number };
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
}

/**
 * Parses an OpenAI-compatible chat completion stream (server-sent events) incrementally: feed it
 * bytes as they arrive with {@link ChatStreamParser.push}, which calls `onDelta` with each content
 * piece as soon as its event is complete; {@link ChatStreamParser.end} returns the joined answer.
 * Events may be split anywhere across chunks (even inside a UTF-8 character); multi-line `data:`
 * fields are joined as the SSE format says; comments and other fields are ignored; `[DONE]` ends
 * the stream.
 * A data field that is not JSON, or an in-stream `error` object, throws naming it.
 *
 * @example
 * ```ts
 * const parser = new ChatStreamParser((delta) => console.log(delta));
 * parser.push(new TextEncoder().encode('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n')); // logs 'Hi'
 * parser.end().content; // 'Hi'
 * ```
 */
export class ChatStreamParser {
  readonly #decoder = new TextDecoder();
  readonly #sse = createParser({ onEvent: (event) => this.#dispatch(event.data) });
  #events = 0;
  #done = false;
  #content = '';
  #finishReason: string | null = null;
  #model: string | null = null;
  #usage: JsonValue = null;
  readonly #onDelta: (delta: string) => void;

  /** `onDelta` receives each piece of content, in order, as soon as its event is complete. */
  constructor(onDelta: (delta: string) => void = () => {}) {
    this.#onDelta = onDelta;
  }

  /** Parses the events these bytes complete. */
  push(bytes: Uint8Array): void {
    if (!this.#done) this.#sse.feed(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Ends the stream (dispatching an event left without its blank line) and returns the answer. */
  end(): ChatAnswer {
    if (!this.#done) this.#sse.feed(`${this.#decoder.decode()}\n\n`);
    if (this.#events === 0) throw new Error('Chat stream ended without any event: the server sent no data');
    return { content: this.#content, finishReason: this.#finishReason, model: this.#model, usage: this.#usage };
  }

  #dispatch(data: string): void {
    if (this.#done) return;
    this.#events++;
    if (data.trim() === '[DONE]') {
      this.#done = true;
      return;
    }
    let chunk: ChatChunk;
    try {
      chunk = JSON.parse(data) as ChatChunk;
    } catch {
      throw new Error(`Chat stream sent an event that is not JSON (event ${this.#events}): ${data.slice(0, 100)}`);
    }
    if (chunk.error) {
      const code = chunk.error.code ? ` (${chunk.error.code})` : '';
      throw new Error(`Chat stream reported an error${code}: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
    }
    this.#model ??= chunk.model ?? null;
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice?.finish_reason) this.#finishReason = choice.finish_reason;
    const delta = choice?.delta?.content;
    if (!delta) return;
    this.#content += delta;
    this.#onDelta(delta);
  }
}

/**
 * Joins a whole server-sent-events chat completion stream into one answer (see
 * {@link ChatStreamParser} for streams read as they arrive).
 *
 * @example
 * ```ts
 * collectChatStream('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n'); // { content: 'Hi', ... }
 * ```
 */
export function collectChatStream(text: string): ChatAnswer {
  const parser = new ChatStreamParser();
  parser.push(new TextEncoder().encode(text));
  return parser.end();
}
