/** A tool call a model asked for; `arguments` is the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** One chat message, in the provider-neutral shape {@link ChatProvider}s take. */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; content: string; toolCallId: string };

/** A function the model may call; `parameters` is a JSON Schema of its arguments. */
export interface ChatTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Tokens one answer used. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/**
 * One chat request. `responseFormat` asks for JSON matching a schema (OpenAI's
 * `response_format: { type: 'json_schema' }`); `onDelta` receives content as it streams.
 *
 * @example
 * ```ts
 * const request: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }], onDelta: (t) => process.stdout.write(t) };
 * ```
 */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ChatTool[];
  responseFormat?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
}

/** A model's whole answer: its text, the tools it called, and the tokens it used. */
export interface ChatResponse {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  model: string;
  usage: TokenUsage;
}

/**
 * The port to a chat model. `OpenAiCompatibleProvider` speaks to any OpenAI-compatible
 * chat-completions endpoint (OpenAI, Azure, Gemini's compatible endpoint, OpenRouter, Ollama,
 * LM Studio, vLLM); tests and other vendors implement the same one method.
 *
 * @example
 * ```ts
 * const answer = await provider.chat({ messages: [{ role: 'user', content: 'Say hi' }] });
 * console.log(answer.content, answer.usage.completionTokens);
 * ```
 */
export interface ChatProvider {
  /** The model answers come from; part of cache keys and usage records. */
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
}

/** A provider call that failed; `retryable` for 429, 5xx and network errors. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
