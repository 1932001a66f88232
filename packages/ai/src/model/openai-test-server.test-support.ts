import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake chat-completions endpoint. */
export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as the raw body (for error answers). */
  raw?: string;
  content?: string;
  toolCalls?: { name: string; args: unknown }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Never answer (for timeouts). */
  hang?: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) speaking the OpenAI chat-completions
 * protocol: it answers `POST /v1/chat/completions` with the next scripted answer, as server-sent
 * events when the request asks to stream (content and tool-call arguments split across several
 * chunks) or as one JSON body otherwise, and records every request body.
 */
export class OpenAiTestServer {
  readonly requests: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }[] = [];
  readonly script: ScriptedAnswer[] = [];
  readonly #server: Server;
  readonly #open = new Set<ServerResponse>();
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.#answer(req, res, Buffer.concat(chunks).toString()));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.#open) res.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #answer(req: IncomingMessage, res: ServerResponse, text: string): void {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(text) as Record<string, unknown>;
    this.requests.push({ body, headers: req.headers });
    const a = this.script.shift();
    if (!a) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"script is empty"}}');
      return;
    }
    if (a.hang) {
      this.#open.add(res);
      return;
    }
    if (a.status && a.status !== 200) {
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.raw ?? JSON.stringify({ error: { message: `scripted ${a.status}` } }));
      return;
    }
    const usage = a.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
    const calls = (a.toolCalls ?? []).map((c, i) => ({
      id: `call_${this.requests.length}_${i}`,
      name: c.name,
      args: JSON.stringify(c.args),
    }));
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model: body.model,
          choices: [
            {
              message: {
                role: 'assistant',
                content: a.content ?? null,
                ...(calls.length
                  ? {
                      tool_calls: calls.map((c) => ({
                        id: c.id,
                        type: 'function',
                        function: { name: c.name, arguments: c.args },
                      })),
                    }
                  : {}),
              },
              finish_reason: calls.length ? 'tool_calls' : 'stop',
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const content = a.content ?? '';
    for (const part of content ? [content.slice(0, 3), content.slice(3)] : []) {
      send({ model: body.model, choices: [{ delta: { content: part }, finish_reason: null }] });
    }
    calls.forEach((c, index) => {
      const half = Math.floor(c.args.length / 2);
      send({
        model: body.model,
        choices: [
          {
            delta: {
              tool_calls: [
                { index, id: c.id, type: 'function', function: { name: c.name, arguments: c.args.slice(0, half) } },
              ],
            },
          },
        ],
      });
      send({
        model: body.model,
        choices: [{ delta: { tool_calls: [{ index, function: { arguments: c.args.slice(half) } }] } }],
      });
    });
    send({ model: body.model, choices: [{ delta: {}, finish_reason: calls.length ? 'tool_calls' : 'stop' }] });
    send({ model: body.model, choices: [], usage });
    res.end('data: [DONE]\n\n');
  }
}
